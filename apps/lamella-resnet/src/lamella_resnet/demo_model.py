"""The embedded demo model: a small ResNet for 64x64 images of shapes.

Same design as ResNet (He et al., 2015) at toy scale: a strided stem, then stages of
residual blocks (two 3x3 convolutions with batch normalization, the input added back,
a 1x1 projection when the stage changes width or stride), global average pooling
and a softmax classifier. About 80k weights (well under 1 MB as float32).
"""

INPUT_SIZE = (64, 64)
STAGE_WIDTHS = (16, 32, 64)


def _residual_block(x, filters, stride, name):
    from lamella import layers

    shortcut = x
    y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False,
                      name=f"{name}_conv1")(x)
    y = layers.BatchNormalization(name=f"{name}_bn1")(y)
    y = layers.Activation("relu", name=f"{name}_relu1")(y)
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv2")(y)
    y = layers.BatchNormalization(name=f"{name}_bn2")(y)
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False,
                                 name=f"{name}_proj")(x)
        shortcut = layers.BatchNormalization(name=f"{name}_proj_bn")(shortcut)
    y = layers.Add(name=f"{name}_add")([y, shortcut])
    return layers.Activation("relu", name=f"{name}_out")(y)


def build_demo_resnet(num_classes, input_size=INPUT_SIZE, widths=STAGE_WIDTHS):
    """A small functional ResNet taking RGB pixels in ``[0, 255]``.

    The model rescales its input itself, so the app feeds it raw pixels
    (preprocessing ``"none"`` in its sidecar).

    Args:
        num_classes: number of output classes (softmax).
        input_size: ``(height, width)`` of the input images.
        widths: filters of each stage; every stage after the first halves the
            resolution.

    Returns:
        An uncompiled ``lamella.Model`` named ``demo_resnet``.

    Example:

    >>> model = build_demo_resnet(6)  # doctest: +SKIP
    >>> model.output_shape  # doctest: +SKIP
    (None, 6)
    """
    import lamella
    from lamella import layers

    inputs = lamella.Input((*input_size, 3), name="pixels")
    x = layers.Rescaling(1.0 / 255.0, name="rescale")(inputs)
    x = layers.Conv2D(widths[0], 3, strides=2, padding="same", use_bias=False, name="stem_conv")(x)
    x = layers.BatchNormalization(name="stem_bn")(x)
    x = layers.Activation("relu", name="stem_relu")(x)
    for stage, filters in enumerate(widths):
        x = _residual_block(x, filters, 1 if stage == 0 else 2, name=f"stage{stage + 1}")
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    outputs = layers.Dense(num_classes, activation="softmax", name="predictions")(x)
    return lamella.Model(inputs, outputs, name="demo_resnet")
