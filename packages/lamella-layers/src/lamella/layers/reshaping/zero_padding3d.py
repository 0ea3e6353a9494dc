"""``ZeroPadding3D``: pads the three spatial axes with zeros."""

from lamella.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding3D(BaseZeroPadding):
    """Adds zeros at both ends of the three spatial axes.

    Args:
        padding: an int, a tuple of 3 ints (symmetric per axis) or 3 pairs
            ``(before, after)``.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, d1, d2, d3, channels)`` or ``(batch, channels, d1, d2, d3)``.

    Output shape:
        ``(batch, new_d1, new_d2, new_d3, channels)`` or ``(batch, channels, new_d1, new_d2, new_d3)``, each padded axis longer by ``before + after``.

    Example:

    >>> ZeroPadding3D()(np.zeros((1, 4, 4, 4, 2))).shape
    (1, 6, 6, 6, 2)
    """

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(rank=3, padding=padding, data_format=data_format, **kwargs)
