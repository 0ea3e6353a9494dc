"""``DepthwiseConv1D``: the depthwise 1D convolution."""

from lamella.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv1D(BaseDepthwiseConv):
    """A depthwise 1D convolution: every input channel is convolved with its own
    ``depth_multiplier`` filters; channels are not mixed.

    Output channel ``c * depth_multiplier + m`` is input channel ``c`` convolved with
    ``depthwise_kernel[..., c, m]``; the depthwise kernel has shape
    ``(kernel_size, channels, depth_multiplier)``.

    Args:
        kernel_size: an int or a tuple of 1 ints, the window size.
        strides: an int or a tuple of 1 ints (default 1).
        padding: ``'valid'`` or ``'same'``.
        depth_multiplier: the number of filters per input channel (default 1).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        dilation_rate: an int or a tuple of 1 ints.
        activation: an activation name or function (default linear).
        use_bias: whether to add a bias (``channels * depth_multiplier`` values).
        depthwise_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.
        depthwise_regularizer, bias_regularizer, activity_regularizer: regularizers.
        depthwise_constraint, bias_constraint: constraints.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, steps, channels)`` or ``(batch, channels, steps)``.

    Output shape:
        ``(batch, new_steps, channels * depth_multiplier)`` or ``(batch, channels * depth_multiplier, new_steps)``.

    Example:

    >>> DepthwiseConv1D(3, depth_multiplier=2)(np.ones((2, 10, 3))).shape
    (2, 8, 6)
    """

    def __init__(
        self,
        kernel_size,
        strides=1,
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            rank=1,
            depth_multiplier=depth_multiplier,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
