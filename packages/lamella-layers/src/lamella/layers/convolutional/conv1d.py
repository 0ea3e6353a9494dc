"""``Conv1D``: 1D convolution (temporal convolution)."""

from lamella.layers.convolutional.base_conv import BaseConv


class Conv1D(BaseConv):
    """A 1D convolution over the steps of a sequence.

    ``outputs = activation(conv(inputs, kernel) + bias)``, the kernel of shape
    ``(kernel_size, input_channels // groups, filters)`` sliding over the steps. See ``BaseConv`` for
    the arguments' meaning.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 1 ints, the window size.
        strides: an int or a tuple of 1 ints (default 1).
        padding: ``'valid'``, ``'same'`` or ``'causal'`` (left padding: output ``t`` depends on inputs up to ``t`` only, for autoregressive models).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        dilation_rate: an int or a tuple of 1 ints (default 1).
        groups: the number of channel groups (default 1).
        activation: an activation name or function (default linear).
        use_bias: whether to add a bias vector (default true).
        kernel_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, steps, channels)`` (``channels_last``) or ``(batch, channels, steps)``
        (``channels_first``).

    Output shape:
        ``(batch, new_steps, filters)`` or ``(batch, filters, new_steps)``, each new size being
        ``floor((size - dilated_kernel) / stride) + 1`` for ``valid`` and
        ``ceil(size / stride)`` otherwise.

    Example:

    >>> Conv1D(4, 3, activation="relu")(np.ones((2, 10, 8))).shape
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
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            rank=1,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
