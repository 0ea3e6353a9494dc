"""lamella-core's own registrations, made through the same hooks as any plugin.

This module is registered directly by the plugin manager (it is the host's
built-in plugin, like pytest's), so that disabling entry-point autoloading never
takes away ``activation='relu'``.
"""

from lamella.plugins import hookimpl


def _register_all(registry, canonical, aliases):
    # Canonical names first: an object serializes under the first name it got.
    for name, obj in (*canonical.items(), *aliases.items()):
        registry.register(name, obj)


@hookimpl
def lamella_register_activations(registry):
    from lamella.activations import ALIASES, ALL_ACTIVATIONS

    _register_all(registry, ALL_ACTIVATIONS, ALIASES)


@hookimpl
def lamella_register_initializers(registry):
    from lamella.initializers import ALIASES, ALL_INITIALIZERS

    _register_all(registry, ALL_INITIALIZERS, ALIASES)


@hookimpl
def lamella_register_regularizers(registry):
    from lamella.regularizers import ALIASES, ALL_REGULARIZERS

    _register_all(registry, ALL_REGULARIZERS, ALIASES)


@hookimpl
def lamella_register_constraints(registry):
    from lamella.constraints import ALIASES, ALL_CONSTRAINTS

    _register_all(registry, ALL_CONSTRAINTS, ALIASES)


@hookimpl
def lamella_register_layers(registry):
    # The model classes and the input layer are core's; every other layer comes
    # from lamella-layers or third-party plugins.
    from lamella.engine.functional import Functional
    from lamella.engine.input_layer import InputLayer
    from lamella.engine.model import Model
    from lamella.engine.operation_layer import OperationLayer
    from lamella.engine.sequential import Sequential

    for cls in (InputLayer, Sequential, Functional, Model, OperationLayer):
        registry.register(cls)
