"""lamella-optimizers' plugin: registers the optimizers and learning-rate schedules
by name."""

from lamella.plugins import hookimpl


@hookimpl
def lamella_register_optimizers(registry):
    from lamella.optimizers import ALIASES, OPTIMIZERS

    for cls in OPTIMIZERS:
        registry.register(cls)
    for name, cls in ALIASES.items():
        registry.register(name, cls)


@hookimpl
def lamella_register_schedules(registry):
    from lamella.optimizers.schedules import SCHEDULES

    for cls in SCHEDULES:
        registry.register(cls)
