"""``lamella.applications`` (distribution lamella-applications): pretrained models
and their ImageNet utilities."""

from lamella.applications import imagenet_utils
from lamella.applications._version import __version__

__all__ = ["__version__", "imagenet_utils"]
