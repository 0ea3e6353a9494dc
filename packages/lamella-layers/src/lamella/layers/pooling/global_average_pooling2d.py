"""``GlobalAveragePooling2D``: the mean of each channel over rows and columns."""

from lamella.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling2D(BaseGlobalPooling):
    """Global average pooling: each channel becomes the mean of its values
    over rows and columns.

    Args:
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        keepdims: keep the spatial axes with size 1 (default false).
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, rows, cols, channels)`` or ``(batch, channels, rows, cols)``.

    Output shape:
        ``(batch, channels)``; with ``keepdims``, ``(batch, 1, 1, channels)`` or
        ``(batch, channels, 1, 1)``.

    Example:

    >>> GlobalAveragePooling2D()(np.ones((2, 7, 7, 3))).shape
    (2, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(rank=2, mode="average", data_format=data_format, keepdims=keepdims, **kwargs)
