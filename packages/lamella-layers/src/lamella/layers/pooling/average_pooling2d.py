"""``AveragePooling2D``: average pooling over rows and columns."""

from lamella.layers.pooling.base_pooling import BasePooling


class AveragePooling2D(BasePooling):
    """Average pooling over rows and columns (downsampling by the mean).

    Each window of ``pool_size`` positions, windows ``strides`` apart, becomes its
    mean, channel by channel.
    With ``'same'`` padding, border windows average only the real inputs they
    cover (padding is not counted).

    Args:
        pool_size: an int or a tuple of 2 ints (default (2, 2)).
        strides: an int or a tuple of 2 ints; ``None`` (default) means
            ``pool_size``.
        padding: ``'valid'`` (default) or ``'same'`` (output size
            ``ceil(size / stride)``).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, rows, cols, channels)`` or ``(batch, channels, rows, cols)``.

    Output shape:
        ``(batch, new_rows, new_cols, channels)`` or ``(batch, channels, new_rows, new_cols)``, each new size being
        ``floor((size - pool) / stride) + 1`` for ``valid`` and ``ceil(size / stride)``
        for ``same``.

    Example:

    >>> AveragePooling2D()(np.ones((2, 28, 28, 3))).shape
    (2, 14, 14, 3)
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(
            rank=2,
            mode="average",
            pool_size=pool_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            **kwargs,
        )
