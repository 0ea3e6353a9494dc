"""lamella-losses' plugin: registers losses and metrics by name."""

from lamella.plugins import hookimpl


@hookimpl
def lamella_register_losses(registry):
    from lamella.losses import ALIASES, CLASSES, FUNCTIONS

    for obj in (*CLASSES, *FUNCTIONS):
        registry.register(obj)
    for name, obj in ALIASES.items():
        registry.register(name, obj)


@hookimpl
def lamella_register_metrics(registry):
    from lamella.metrics import ALIASES, CLASSES, FUNCTIONS

    for obj in (*CLASSES, *FUNCTIONS):
        registry.register(obj)
    for name, obj in ALIASES.items():
        registry.register(name, obj)
