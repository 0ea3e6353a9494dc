"""Registry look-ups: exact names, forgiving case, and errors that list names."""

import pytest

from lamella.plugins import get_registry
from lamella.plugins.errors import UnknownNameError
from lamella.plugins.registry import PluginInfo, Registry

PROVIDER = PluginInfo("test", "lamella-test", "0")


def test_exact_then_case_and_underscore_insensitive_lookup():
    registry = Registry("constraints")

    class MaxNorm:
        pass

    registry.register("MaxNorm", MaxNorm, PROVIDER)
    assert registry.get("MaxNorm") is MaxNorm
    assert registry.get("max_norm") is MaxNorm
    assert registry.get("maxnorm") is MaxNorm


def test_ambiguous_forgiving_lookup_is_refused():
    registry = Registry("losses")
    registry.register("MeanSquaredError", object(), PROVIDER)
    registry.register("mean_squared_error", object(), PROVIDER)
    with pytest.raises(UnknownNameError):
        registry.get("meansquarederror")


def test_unknown_name_lists_registered_and_suggests():
    with pytest.raises(ValueError) as info:
        get_registry("activations").get("rellu")
    message = str(info.value)
    assert "Unknown activation: 'rellu'" in message
    assert "Did you mean 'relu'" in message
    assert "'sigmoid'" in message


def test_missing_first_party_distribution_is_named(monkeypatch):
    from lamella.plugins import get_manager

    manager = get_manager()
    monkeypatch.setattr(manager, "installed_distributions", lambda: {"lamella-core"})
    registry = Registry("optimizers", manager=manager)
    with pytest.raises(UnknownNameError, match="pip install lamella-optimizers"):
        registry.get("adam")


def test_register_by_hand_and_unregister():
    from lamella import plugins
    from lamella.plugins import hookimpl

    class Plugin:
        @hookimpl
        def lamella_register_activations(self, registry):
            registry.register("triple", lambda x: 3 * x)

    plugins.register(Plugin(), name="by-hand")
    try:
        assert get_registry("activations").get("triple")(2) == 6
    finally:
        plugins.unregister("by-hand")
    assert "triple" not in get_registry("activations")
