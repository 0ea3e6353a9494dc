"""ResNet50, ResNet101 and ResNet152 (He et al., 2015), as ``keras.applications``.

Deep residual networks of bottleneck blocks with post-activation; the layer names,
their order and the weights match Keras's, so the ImageNet files Keras distributes
load as they are. The pretrained weights expect ``preprocess_input`` ('caffe' mode:
BGR, mean pixel subtracted, no scaling) on RGB pixels in ``[0, 255]``.

Args (every constructor):
    include_top: include the global pooling and the ``predictions`` classifier.
    weights: ``None`` (random initialization), ``'imagenet'`` (downloaded once,
        hash checked, cached under ``$LAMELLA_HOME/models``) or the path of a weight
        file (Keras 2 ``.h5``, Keras 3 ``.weights.h5`` or lamella's).
    input_tensor: a symbolic tensor to use as the model's input.
    input_shape: the shape of one image, e.g. ``(224, 224, 3)``; free with
        ``include_top=False`` (at least 32x32), fixed to 224x224 with the ImageNet top.
    pooling: without the top, ``None`` (the last 4D feature map), ``'avg'`` or
        ``'max'`` (a 2D feature vector).
    classes: the number of classes of the top (1000 with ImageNet weights).
    classifier_activation: the top's activation (``None`` or ``'softmax'`` with
        pretrained weights).
    name: the model's name.

Input shape:
    ``(batch, height, width, 3)`` (channels last) or ``(batch, 3, height, width)``.

Output shape:
    ``(batch, classes)`` with the top; else ``(batch, h, w, 2048)`` or, pooled,
    ``(batch, 2048)``.

Example:

>>> from lamella import applications
>>> model = applications.ResNet50(weights=None, input_shape=(64, 64, 3), classes=10)
>>> model.output_shape
(None, 10)
"""

from lamella.applications import imagenet_utils
from lamella.applications.resnet_blocks import stack_residual_blocks_v1
from lamella.applications.resnet_builder import build_resnet

__all__ = ["ResNet50", "ResNet101", "ResNet152", "decode_predictions", "preprocess_input"]

# Blocks per stack (conv2 .. conv5) of each depth.
DEPTHS = {"resnet50": (3, 4, 6, 3), "resnet101": (3, 4, 23, 3), "resnet152": (3, 8, 36, 3)}


def _v1_stacks(blocks):
    def stack_fn(x):
        x = stack_residual_blocks_v1(x, 64, blocks[0], stride1=1, name="conv2")
        x = stack_residual_blocks_v1(x, 128, blocks[1], name="conv3")
        x = stack_residual_blocks_v1(x, 256, blocks[2], name="conv4")
        return stack_residual_blocks_v1(x, 512, blocks[3], name="conv5")

    return stack_fn


def _resnet_v1(key, model_name, **arguments):
    return build_resnet(_v1_stacks(DEPTHS[key]), preact=False, use_bias=True,
                        model_name=model_name, weights_name=key, **arguments)


def ResNet50(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,  # noqa: N802
             pooling=None, classes=1000, classifier_activation="softmax", name="resnet50"):
    """ResNet50: 3, 4, 6 and 3 bottleneck blocks (25.6M weights with the top).

    See the module docstring for the arguments and shapes.
    """
    return _resnet_v1("resnet50", "ResNet50", include_top=include_top, weights=weights,
                      input_tensor=input_tensor, input_shape=input_shape, pooling=pooling,
                      classes=classes, classifier_activation=classifier_activation, name=name)


def ResNet101(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,  # noqa: N802
              pooling=None, classes=1000, classifier_activation="softmax", name="resnet101"):
    """ResNet101: 3, 4, 23 and 3 bottleneck blocks (44.7M weights with the top).

    See the module docstring for the arguments and shapes.
    """
    return _resnet_v1("resnet101", "ResNet101", include_top=include_top, weights=weights,
                      input_tensor=input_tensor, input_shape=input_shape, pooling=pooling,
                      classes=classes, classifier_activation=classifier_activation, name=name)


def ResNet152(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,  # noqa: N802
              pooling=None, classes=1000, classifier_activation="softmax", name="resnet152"):
    """ResNet152: 3, 8, 36 and 3 bottleneck blocks (60.4M weights with the top).

    See the module docstring for the arguments and shapes.
    """
    return _resnet_v1("resnet152", "ResNet152", include_top=include_top, weights=weights,
                      input_tensor=input_tensor, input_shape=input_shape, pooling=pooling,
                      classes=classes, classifier_activation=classifier_activation, name=name)


def preprocess_input(x, data_format=None):
    """ResNet's preprocessing ('caffe'): RGB to BGR, minus the ImageNet mean pixel.

    Args:
        x: RGB pixels in ``[0, 255]``, a batch or one image.
        data_format: ``'channels_last'`` or ``'channels_first'`` (default: the
            configured image data format).

    Returns:
        A new float32 numpy array.
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds, top=5):
    """The ``top`` ``(wnid, class_name, score)`` of each ImageNet prediction."""
    return imagenet_utils.decode_predictions(preds, top=top)
