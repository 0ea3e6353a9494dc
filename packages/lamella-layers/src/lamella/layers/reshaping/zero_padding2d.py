"""``ZeroPadding2D``: pads the rows and columns with zeros."""

from lamella.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding2D(BaseZeroPadding):
    """Adds zeros at both ends of the rows and columns.

    Args:
        padding: an int (the same everywhere), a pair of ints (rows, columns:
            symmetric) or a pair of pairs ``((top, bottom), (left, right))``.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, rows, cols, channels)`` or ``(batch, channels, rows, cols)``.

    Output shape:
        ``(batch, new_rows, new_cols, channels)`` or ``(batch, channels, new_rows, new_cols)``, each padded axis longer by ``before + after``.

    Example:

    >>> ZeroPadding2D()(np.zeros((2, 8, 8, 3))).shape
    (2, 10, 10, 3)
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(rank=2, padding=padding, data_format=data_format, **kwargs)
