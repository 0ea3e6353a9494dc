"""``lamella.applications`` (distribution lamella-applications): pretrained models
and their ImageNet utilities.

The ResNet family of ``keras.applications``, with Keras's layer names and weights:
``ResNet50``, ``ResNet101``, ``ResNet152`` (module ``resnet``, also ``resnet50``) and
``ResNet50V2``, ``ResNet101V2``, ``ResNet152V2`` (module ``resnet_v2``).
"""

from lamella.applications import imagenet_utils, resnet, resnet50, resnet_v2
from lamella.applications._version import __version__
from lamella.applications.resnet import ResNet50, ResNet101, ResNet152
from lamella.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2

__all__ = [
    "ResNet50", "ResNet50V2", "ResNet101", "ResNet101V2", "ResNet152", "ResNet152V2",
    "__version__", "imagenet_utils", "resnet", "resnet50", "resnet_v2",
]
