"""lamella-applications' plugin: registers its input preprocessing by name."""

from lamella.plugins import hookimpl


@hookimpl
def lamella_register_preprocessors(registry):
    from lamella.applications.imagenet_utils import preprocess_input

    registry.register("imagenet_preprocess_input", preprocess_input)
