"""lamella-layers' plugin: registers its layers through the ``lamella`` entry point."""

from lamella.plugins import hookimpl


@hookimpl
def lamella_register_layers(registry):
    from lamella.layers import ALIASES, LAYERS

    aliases = {}
    for alias, cls in ALIASES.items():
        aliases.setdefault(cls, []).append(alias)
    for cls in LAYERS:
        registry.register(cls, aliases=aliases.get(cls, ()))
