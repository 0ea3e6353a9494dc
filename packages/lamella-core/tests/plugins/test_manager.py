"""Plugin discovery: guarded loading, failures reported, environment controls."""

GOOD_PLUGIN = """
from lamella.plugins import hookimpl

def double(x):
    return 2 * x

@hookimpl
def lamella_register_activations(registry):
    registry.register("double", double)
"""

BROKEN_ON_IMPORT = """
raise RuntimeError("this plugin is broken on purpose")
"""


def test_broken_plugin_is_reported_and_others_still_load(fake_site):
    fake_site.add_distribution("lamella-good", "good_plugin", GOOD_PLUGIN)
    fake_site.add_distribution("lamella-broken", "broken_plugin", BROKEN_ON_IMPORT, version="2.3")
    code, report, _ = fake_site.plugins_report()
    assert code == 1  # failures make the command exit non-zero
    failures = {f["name"]: f for f in report["failures"]}
    assert failures["lamella-broken"]["distribution"] == "lamella-broken"
    assert failures["lamella-broken"]["version"] == "2.3"
    assert failures["lamella-broken"]["stage"] == "import"
    assert "broken on purpose" in failures["lamella-broken"]["error"]
    plugins = {p["name"]: p for p in report["plugins"]}
    assert plugins["lamella-good"]["registered"] == {"activations": ["double"]}
    assert plugins["lamella-good"]["hooks"] == ["lamella_register_activations"]


def test_broken_plugin_warns_once_and_lookups_work(fake_site):
    fake_site.add_distribution("lamella-good", "good_plugin", GOOD_PLUGIN)
    fake_site.add_distribution("lamella-broken", "broken_plugin", BROKEN_ON_IMPORT)
    result = fake_site.run_python(
        """
        import warnings
        warnings.simplefilter("always")
        from lamella import activations
        print(activations.get("double")(21), activations.get("relu")(-1.0))
        activations.get("double")
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["42", "0.0"]
    assert result.stderr.count("LamellaPluginWarning") == 1
    assert "lamella-broken" in result.stderr


def test_strict_mode_makes_a_broken_plugin_fatal(fake_site):
    fake_site.add_distribution("lamella-broken", "broken_plugin", BROKEN_ON_IMPORT)
    result = fake_site.run_python(
        "from lamella import activations; activations.get('relu')",
        LAMELLA_STRICT_PLUGINS="1",
    )
    assert result.returncode != 0
    assert "PluginLoadError" in result.stderr and "lamella-broken" in result.stderr


def test_disabled_plugins_are_not_loaded(fake_site):
    fake_site.add_distribution("lamella-good", "good_plugin", GOOD_PLUGIN)
    fake_site.add_distribution("lamella-broken", "broken_plugin", BROKEN_ON_IMPORT)
    code, report, _ = fake_site.plugins_report(LAMELLA_DISABLED_PLUGINS="lamella-broken")
    assert code == 0
    assert report["failures"] == []
    assert "lamella-good" in {p["name"] for p in report["plugins"]}


def test_autoload_off_loads_only_named_plugins(fake_site):
    fake_site.add_distribution("lamella-good", "good_plugin", GOOD_PLUGIN)
    code, report, _ = fake_site.plugins_report(LAMELLA_DISABLE_PLUGIN_AUTOLOAD="1")
    assert [p["name"] for p in report["plugins"]] == ["lamella-core"]
    code, report, _ = fake_site.plugins_report(
        LAMELLA_DISABLE_PLUGIN_AUTOLOAD="1", LAMELLA_PLUGINS="lamella-good"
    )
    assert sorted(p["name"] for p in report["plugins"]) == ["lamella-core", "lamella-good"]


def test_misspelt_hook_is_reported_with_a_suggestion(fake_site):
    fake_site.add_distribution(
        "lamella-typo",
        "typo_plugin",
        """
        from lamella.plugins import hookimpl

        @hookimpl
        def lamella_register_layer(registry):
            pass
        """,
    )
    code, report, _ = fake_site.plugins_report()
    (failure,) = [f for f in report["failures"] if f["name"] == "lamella-typo"]
    assert failure["stage"] == "validate"
    assert "lamella_register_layers" in failure["error"]


def test_a_plugin_raising_in_its_hook_is_reported(fake_site):
    fake_site.add_distribution(
        "lamella-raises",
        "raises_plugin",
        """
        from lamella.plugins import hookimpl

        @hookimpl
        def lamella_register_activations(registry):
            registry.register("half", lambda x: x / 2)
            raise ValueError("registration failed")
        """,
    )
    code, report, _ = fake_site.plugins_report()
    (failure,) = [f for f in report["failures"] if f["name"] == "lamella-raises"]
    assert failure["stage"] == "register activations"
    # What it registered before failing is withdrawn: nothing half-registered.
    assert "lamella-raises" not in {p["name"] for p in report["plugins"] if p["registered"]}
