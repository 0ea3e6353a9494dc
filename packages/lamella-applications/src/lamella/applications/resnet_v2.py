"""ResNet50V2, ResNet101V2 and ResNet152V2 (He et al., 2016), as ``keras.applications``.

The pre-activation variant: each block normalizes and activates its input first,
the downsampling happens in the last block of a stack, and one BatchNormalization
and ReLU (``post_bn``, ``post_relu``) follow the last stack. The arguments, shapes
and weight handling are those of ``lamella.applications.resnet``; the pretrained
weights expect ``preprocess_input`` here ('tf' mode: pixels scaled to ``[-1, 1]``).

Example:

>>> from lamella.applications import resnet_v2
>>> model = resnet_v2.ResNet50V2(weights=None, include_top=False, pooling="avg")
>>> model.output_shape
(None, 2048)
"""

from lamella.applications import imagenet_utils
from lamella.applications.resnet import DEPTHS
from lamella.applications.resnet_blocks import stack_residual_blocks_v2
from lamella.applications.resnet_builder import build_resnet

__all__ = ["ResNet50V2", "ResNet101V2", "ResNet152V2", "decode_predictions", "preprocess_input"]


def _v2_stacks(blocks):
    def stack_fn(x):
        x = stack_residual_blocks_v2(x, 64, blocks[0], name="conv2")
        x = stack_residual_blocks_v2(x, 128, blocks[1], name="conv3")
        x = stack_residual_blocks_v2(x, 256, blocks[2], name="conv4")
        return stack_residual_blocks_v2(x, 512, blocks[3], stride1=1, name="conv5")

    return stack_fn


def _resnet_v2(depth, model_name, **arguments):
    return build_resnet(_v2_stacks(DEPTHS[f"resnet{depth}"]), preact=True, use_bias=True,
                        model_name=model_name, weights_name=f"resnet{depth}v2", **arguments)


def ResNet50V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,  # noqa: N802
               pooling=None, classes=1000, classifier_activation="softmax", name="resnet50v2"):
    """ResNet50V2: 3, 4, 6 and 3 pre-activation blocks.

    See ``lamella.applications.resnet`` for the arguments and shapes.
    """
    return _resnet_v2(50, "ResNet50V2", include_top=include_top, weights=weights,
                      input_tensor=input_tensor, input_shape=input_shape, pooling=pooling,
                      classes=classes, classifier_activation=classifier_activation, name=name)


def ResNet101V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,  # noqa: N802
                pooling=None, classes=1000, classifier_activation="softmax", name="resnet101v2"):
    """ResNet101V2: 3, 4, 23 and 3 pre-activation blocks.

    See ``lamella.applications.resnet`` for the arguments and shapes.
    """
    return _resnet_v2(101, "ResNet101V2", include_top=include_top, weights=weights,
                      input_tensor=input_tensor, input_shape=input_shape, pooling=pooling,
                      classes=classes, classifier_activation=classifier_activation, name=name)


def ResNet152V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,  # noqa: N802
                pooling=None, classes=1000, classifier_activation="softmax", name="resnet152v2"):
    """ResNet152V2: 3, 8, 36 and 3 pre-activation blocks.

    See ``lamella.applications.resnet`` for the arguments and shapes.
    """
    return _resnet_v2(152, "ResNet152V2", include_top=include_top, weights=weights,
                      input_tensor=input_tensor, input_shape=input_shape, pooling=pooling,
                      classes=classes, classifier_activation=classifier_activation, name=name)


def preprocess_input(x, data_format=None):
    """ResNetV2's preprocessing ('tf'): pixels in ``[0, 255]`` scaled to ``[-1, 1]``.

    Args:
        x: RGB pixels in ``[0, 255]``, a batch or one image.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Returns:
        A new float32 numpy array.
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """The ``top`` ``(wnid, class_name, score)`` of each ImageNet prediction."""
    return imagenet_utils.decode_predictions(preds, top=top)
