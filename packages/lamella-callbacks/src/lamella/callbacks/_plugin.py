"""lamella-callbacks' plugin: registers its callbacks by class name."""

from lamella.plugins import hookimpl


@hookimpl
def lamella_register_callbacks(registry):
    from lamella.callbacks import CALLBACKS

    for cls in CALLBACKS:
        registry.register(cls)
