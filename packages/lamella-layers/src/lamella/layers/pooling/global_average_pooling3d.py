"""``GlobalAveragePooling3D``: the mean of each channel over the three spatial axes."""

from lamella.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling3D(BaseGlobalPooling):
    """Global average pooling: each channel becomes the mean of its values
    over the three spatial axes.

    Args:
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        keepdims: keep the spatial axes with size 1 (default false).
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, dim1, dim2, dim3, channels)`` or ``(batch, channels, dim1, dim2, dim3)``.

    Output shape:
        ``(batch, channels)``; with ``keepdims``, ``(batch, 1, 1, 1, channels)`` or
        ``(batch, channels, 1, 1, 1)``.

    Example:

    >>> GlobalAveragePooling3D()(np.ones((2, 3, 3, 3, 3))).shape
    (2, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(rank=3, mode="average", data_format=data_format, keepdims=keepdims, **kwargs)
