"""``lamella.applications.resnet50``: Keras's alias module for ResNet50 and its
preprocessing (``keras.applications.resnet50``)."""

from lamella.applications.resnet import ResNet50, decode_predictions, preprocess_input

__all__ = ["ResNet50", "decode_predictions", "preprocess_input"]
