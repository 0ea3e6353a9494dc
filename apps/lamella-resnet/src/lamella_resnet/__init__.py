"""lamella-resnet: real-time image classification with lamella."""

__version__ = "0.1.0"
