"""``ZeroPadding1D``: pads the steps axis with zeros."""

from lamella.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding1D(BaseZeroPadding):
    """Adds zeros at both ends of the steps axis.

    Args:
        padding: an int (the same at both ends) or a pair ``(before, after)``.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, steps, features)`` or ``(batch, features, steps)``.

    Output shape:
        ``(batch, new_steps, features)`` or ``(batch, features, new_steps)``, each padded axis longer by ``before + after``.

    Example:

    >>> ZeroPadding1D(2)(np.zeros((2, 10, 3))).shape
    (2, 14, 3)
    """

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(rank=1, padding=padding, data_format=data_format, **kwargs)
