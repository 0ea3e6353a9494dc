"""``AveragePooling1D``: average pooling over steps."""

from lamella.layers.pooling.base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    """Average pooling over steps (downsampling by the mean).

    Each window of ``pool_size`` positions, windows ``strides`` apart, becomes its
    mean, channel by channel.
    With ``'same'`` padding, border windows average only the real inputs they
    cover (padding is not counted).

    Args:
        pool_size: an int or a tuple of 1 ints (default 2).
        strides: an int or a tuple of 1 ints; ``None`` (default) means
            ``pool_size``.
        padding: ``'valid'`` (default) or ``'same'`` (output size
            ``ceil(size / stride)``).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, steps, channels)`` or ``(batch, channels, steps)``.

    Output shape:
        ``(batch, new_steps, channels)`` or ``(batch, channels, new_steps)``, each new size being
        ``floor((size - pool) / stride) + 1`` for ``valid`` and ``ceil(size / stride)``
        for ``same``.

    Example:

    >>> AveragePooling1D()(np.ones((2, 10, 3))).shape
    (2, 5, 3)
    """

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(
            rank=1,
            mode="average",
            pool_size=pool_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            **kwargs,
        )
