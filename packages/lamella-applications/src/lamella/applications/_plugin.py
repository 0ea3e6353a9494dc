"""lamella-applications' plugin: registers its model builders and its input
preprocessing by name, through the same entry point as any plugin."""

from lamella.plugins import hookimpl


@hookimpl
def lamella_register_preprocessors(registry):
    from lamella.applications.imagenet_utils import preprocess_input

    registry.register("imagenet_preprocess_input", preprocess_input)


@hookimpl
def lamella_register_applications(registry):
    from lamella.applications import resnet, resnet_v2

    for builder in (resnet.ResNet50, resnet.ResNet101, resnet.ResNet152,
                    resnet_v2.ResNet50V2, resnet_v2.ResNet101V2, resnet_v2.ResNet152V2):
        registry.register(builder.__name__, builder)
