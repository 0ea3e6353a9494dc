"""The lamella plugin module named by this distribution's entry point."""

from lamella.plugins import hookimpl


@hookimpl
def lamella_register_layers(registry):
    from lamella_maxout.maxout import Maxout

    registry.register(Maxout)
