"""``AveragePooling3D``: average pooling over three spatial axes."""

from lamella.layers.pooling.base_pooling import BasePooling


class AveragePooling3D(BasePooling):
    """Average pooling over three spatial axes (downsampling by the mean).

    Each window of ``pool_size`` positions, windows ``strides`` apart, becomes its
    mean, channel by channel.
    With ``'same'`` padding, border windows average only the real inputs they
    cover (padding is not counted).

    Args:
        pool_size: an int or a tuple of 3 ints (default (2, 2, 2)).
        strides: an int or a tuple of 3 ints; ``None`` (default) means
            ``pool_size``.
        padding: ``'valid'`` (default) or ``'same'`` (output size
            ``ceil(size / stride)``).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, dim1, dim2, dim3, channels)`` or ``(batch, channels, dim1, dim2, dim3)``.

    Output shape:
        ``(batch, new_dim1, new_dim2, new_dim3, channels)`` or ``(batch, channels, new_dim1, new_dim2, new_dim3)``, each new size being
        ``floor((size - pool) / stride) + 1`` for ``valid`` and ``ceil(size / stride)``
        for ``same``.

    Example:

    >>> AveragePooling3D()(np.ones((1, 4, 4, 4, 2))).shape
    (1, 2, 2, 2, 2)
    """

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(
            rank=3,
            mode="average",
            pool_size=pool_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            **kwargs,
        )
