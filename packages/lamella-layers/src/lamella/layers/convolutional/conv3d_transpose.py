"""``Conv3DTranspose``: the transposed 3D convolution."""

from lamella.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv3DTranspose(BaseConvTranspose):
    """A transposed 3D convolution: the gradient of ``Conv3D`` with respect to its
    input, used to upsample (volumes).

    With ``strides=s`` each spatial size grows about ``s`` times: it becomes
    ``size * s`` with ``padding='same'`` and ``size * s + max(dilated_kernel - s, 0)``
    with ``'valid'``; ``output_padding`` picks another of the sizes a strided
    convolution maps back to ``size``. The kernel has shape
    ``(dim1, dim2, dim3, filters, input_channels)``.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 3 ints.
        strides: an int or a tuple of 3 ints (default 1).
        padding: ``'valid'`` or ``'same'``.
        output_padding: ``None`` (inferred) or an int or tuple of 3 ints, each below
            its stride.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        dilation_rate: an int or a tuple of 3 ints.
        activation, use_bias, kernel_initializer, bias_initializer,
        kernel_regularizer, bias_regularizer, activity_regularizer,
        kernel_constraint, bias_constraint: as in ``Conv3D``.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, dim1, dim2, dim3, channels)`` or ``(batch, channels, dim1, dim2, dim3)``.

    Output shape:
        ``(batch, new_dim1, new_dim2, new_dim3, filters)`` or ``(batch, filters, new_dim1, new_dim2, new_dim3)``.

    Example:

    >>> Conv3DTranspose(4, 3, strides=2, padding="same")(np.ones((1, 3, 3, 3, 2))).shape
    (1, 6, 6, 6, 4)
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1, 1),
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=(1, 1, 1),
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
            output_padding=output_padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
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
