"""``LocallyConnected1D``: a 1D convolution with unshared weights (Keras 2)."""

from lamella.layers.locally_connected.base_locally_connected import BaseLocallyConnected


class LocallyConnected1D(BaseLocallyConnected):
    """Locally connected layer for sequences: a ``Conv1D`` whose filters are
    not shared, each output position having its own.

    Output position ``p`` is ``activation(window_p @ kernel[p] + bias[p])``, with
    ``window_p`` the ``kernel_size`` inputs it sees, flattened. Weights follow Keras 2
    (``implementation=1``): kernel ``(new_steps, kernel_size * channels, filters)``, bias ``(new_steps, filters)``; windows flatten
    as ``(*window, channel)`` for ``channels_last`` and ``(channel, *window)`` for
    ``channels_first``. The layer was dropped by Keras 3; this is Keras 2's.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 1 ints, the window size.
        strides: an int or a tuple of 1 ints (default 1).
        padding: ``'valid'`` (default) or ``'same'`` (zero padding as a ``same``
            convolution; Keras 2 allowed it with implementations 2 and 3).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        activation: an activation name or function (default linear).
        use_bias: whether to add a bias per output position and filter.
        kernel_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints.
        implementation: 1, 2 or 3 (Keras 2's computation strategies); all compute the
            same function here with the same weights, in the fastest form for jax.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, steps, channels)`` or ``(batch, channels, steps)``, every size known.

    Output shape:
        ``(batch, new_steps, filters)`` or ``(batch, filters, new_steps)``.

    Example:

    >>> LocallyConnected1D(4, 3)(np.ones((2, 10, 3))).shape
    (2, 8, 4)
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        implementation=1,
        **kwargs,
    ):
        super().__init__(
            rank=1,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            implementation=implementation,
            **kwargs,
        )
