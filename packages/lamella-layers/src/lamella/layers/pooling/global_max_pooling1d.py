"""``GlobalMaxPooling1D``: the maximum of each channel over the steps."""

from lamella.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Global max pooling: each channel becomes the maximum of its values
    over the steps.

    Args:
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        keepdims: keep the spatial axes with size 1 (default false).
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, steps, channels)`` or ``(batch, channels, steps)``.

    Output shape:
        ``(batch, channels)``; with ``keepdims``, ``(batch, 1, channels)`` or
        ``(batch, channels, 1)``.

    Example:

    >>> GlobalMaxPooling1D()(np.ones((2, 10, 3))).shape
    (2, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(rank=1, mode="max", data_format=data_format, keepdims=keepdims, **kwargs)
