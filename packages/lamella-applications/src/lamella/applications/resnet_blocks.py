"""The residual blocks of ResNet (v1, post-activation) and ResNetV2 (pre-activation).

Layer names follow Keras's exactly (``conv2_block1_1_conv``, ``conv2_block1_1_bn``,
...), and layers are created in Keras's order, because the ImageNet weight files
are matched to the model by those names and that order.

Every BatchNormalization uses ``epsilon=1.001e-5``, the value the pretrained
weights were trained with (Keras's default 1e-3 would shift every activation).
"""

from lamella import backend, layers

BN_EPSILON = 1.001e-5


def channel_axis():
    return 3 if backend.image_data_format() == "channels_last" else 1


def _bn(name):
    return layers.BatchNormalization(axis=channel_axis(), epsilon=BN_EPSILON, name=name)


def residual_block_v1(x, filters, kernel_size=3, stride=1, conv_shortcut=True, name=None):
    """A bottleneck block of ResNet v1: 1x1 -> kxk -> 1x1 (4x filters), added to the
    shortcut, then ReLU.

    Args:
        x: the input symbolic tensor.
        filters: the filters of the bottleneck (the block outputs ``4 * filters``).
        kernel_size: the middle convolution's kernel size.
        stride: the stride of the first convolution (and of the shortcut's).
        conv_shortcut: a 1x1 convolution on the shortcut (else the identity).
        name: the block's name prefix, e.g. ``'conv2_block1'``.

    Returns:
        The block's output tensor.
    """
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = _bn(f"{name}_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = _bn(f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.Conv2D(filters, kernel_size, padding="same", name=f"{name}_2_conv")(x)
    x = _bn(f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    x = _bn(f"{name}_3_bn")(x)
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def stack_residual_blocks_v1(x, filters, blocks, stride1=2, name=None):
    """``blocks`` v1 blocks; the first has a convolution shortcut and ``stride1``."""
    x = residual_block_v1(x, filters, stride=stride1, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = residual_block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def residual_block_v2(x, filters, kernel_size=3, stride=1, conv_shortcut=False, name=None):
    """A bottleneck block of ResNetV2: BN and ReLU first, then 1x1 -> kxk (strided)
    -> 1x1, added to the shortcut.

    Args:
        x: the input symbolic tensor.
        filters: the filters of the bottleneck (the block outputs ``4 * filters``).
        kernel_size: the middle convolution's kernel size.
        stride: the stride of the middle convolution (and of the shortcut).
        conv_shortcut: a 1x1 convolution on the pre-activated input as shortcut
            (else the input itself, subsampled by a 1x1 max pooling when strided).
        name: the block's name prefix, e.g. ``'conv2_block1'``.

    Returns:
        The block's output tensor.
    """
    preact = _bn(f"{name}_preact_bn")(x)
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    else:
        # Keras leaves this pooling unnamed; it has no weights, so its name is free.
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = _bn(f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, use_bias=False, name=f"{name}_2_conv")(x)
    x = _bn(f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def stack_residual_blocks_v2(x, filters, blocks, stride1=2, name=None):
    """``blocks`` v2 blocks; the first has a convolution shortcut, the last strides."""
    x = residual_block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, blocks):
        x = residual_block_v2(x, filters, name=f"{name}_block{i}")
    return residual_block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")
