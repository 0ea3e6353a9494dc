"""``Conv3D``: 3D convolution (spatial convolution over volumes)."""

from lamella.layers.convolutional.base_conv import BaseConv


class Conv3D(BaseConv):
    """A 3D convolution over volumes (or video: time, rows, columns).

    ``outputs = activation(conv(inputs, kernel) + bias)``, the kernel of shape
    ``(dim1, dim2, dim3, input_channels // groups, filters)`` sliding over the three spatial axes. See ``BaseConv`` for
    the arguments' meaning.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 3 ints, the window size.
        strides: an int or a tuple of 3 ints (default 1).
        padding: ``'valid'`` or ``'same'``.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        dilation_rate: an int or a tuple of 3 ints (default 1).
        groups: the number of channel groups (default 1).
        activation: an activation name or function (default linear).
        use_bias: whether to add a bias vector (default true).
        kernel_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, dim1, dim2, dim3, channels)`` (``channels_last``) or ``(batch, channels, dim1, dim2, dim3)``
        (``channels_first``).

    Output shape:
        ``(batch, new_dim1, new_dim2, new_dim3, filters)`` or ``(batch, filters, new_dim1, new_dim2, new_dim3)``, each new size being
        ``floor((size - dilated_kernel) / stride) + 1`` for ``valid`` and
        ``ceil(size / stride)`` otherwise.

    Example:

    >>> Conv3D(4, 3, activation="relu")(np.ones((1, 5, 5, 5, 2))).shape
    (1, 3, 3, 3, 4)
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1, 1),
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
            rank=3,
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
