"""Two distributions registering one name: an error naming both."""

CLAIMS_RELU = """
from lamella.plugins import hookimpl

def my_relu(x):
    return x

@hookimpl
def lamella_register_activations(registry):
    registry.register("relu", my_relu)
    registry.register("unique_to_{name}", my_relu)
"""


def test_duplicate_name_error_names_both_distributions(fake_site):
    fake_site.add_distribution("lamella-rival", "rival_plugin", CLAIMS_RELU.replace("{name}", "rival"), version="0.4")
    result = fake_site.run_python(
        """
        from lamella import activations
        print(activations.get("unique_to_rival").__name__)
        try:
            activations.get("relu")
        except ValueError as error:
            print(error)
        """
    )
    assert result.returncode == 0, result.stderr
    first, message = result.stdout.split("\n", 1)
    assert first == "my_relu"  # names that do not collide still work
    assert "lamella-core 0.1.0" in message and "lamella-rival 0.4" in message
    assert "'relu'" in message


def test_conflicts_are_listed_by_the_command(fake_site):
    fake_site.add_distribution("lamella-rival", "rival_plugin", CLAIMS_RELU.replace("{name}", "rival"))
    code, report, _ = fake_site.plugins_report()
    assert code == 1
    (conflict,) = report["conflicts"]
    assert conflict["kind"] == "activations" and conflict["name"] == "relu"
    assert len(conflict["distributions"]) == 2


def test_the_same_object_twice_is_not_a_conflict():
    from lamella.plugins.registry import PluginInfo, Registry

    registry = Registry("activations")
    first = PluginInfo("a", "dist-a", "1")
    second = PluginInfo("b", "dist-b", "1")

    def fn(x):
        return x

    registry.register("fn", fn, first)
    registry.register("fn", fn, second)
    assert registry.get("fn") is fn
