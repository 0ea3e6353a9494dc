"""``SeparableConv1D``: the depthwise separable 1D convolution."""

from lamella.layers.convolutional.base_separable_conv import BaseSeparableConv


class SeparableConv1D(BaseSeparableConv):
    """A depthwise separable 1D convolution: a depthwise convolution (each channel
    filtered on its own) then a pointwise one mixing channels into ``filters``.

    ``outputs = activation(pointwise(depthwise(inputs)) + bias)``, with a depthwise
    kernel of shape ``(kernel_size, channels, depth_multiplier)`` and a pointwise kernel of shape
    ``(1, channels * depth_multiplier, filters)``.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 1 ints, the depthwise window size.
        strides: an int or a tuple of 1 ints (default 1).
        padding: ``'valid'`` or ``'same'``.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        dilation_rate: an int or a tuple of 1 ints.
        depth_multiplier: depthwise filters per input channel (default 1).
        activation: an activation name or function (default linear).
        use_bias: whether to add a bias after the pointwise step.
        depthwise_initializer, pointwise_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer,
        activity_regularizer: regularizers.
        depthwise_constraint, pointwise_constraint, bias_constraint: constraints.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, steps, channels)`` or ``(batch, channels, steps)``.

    Output shape:
        ``(batch, new_steps, filters)`` or ``(batch, filters, new_steps)``.

    Example:

    >>> SeparableConv1D(4, 3)(np.ones((2, 10, 3))).shape
    (2, 8, 4)
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        depth_multiplier=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            rank=1,
            depth_multiplier=depth_multiplier,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
