"""``Cropping2D``: crops the rows and columns."""

from lamella.layers.reshaping.base_cropping import BaseCropping


class Cropping2D(BaseCropping):
    """Removes positions at both ends of the rows and columns.

    Args:
        cropping: an int (the same everywhere), a pair of ints (rows, columns:
            symmetric) or a pair of pairs ``((top, bottom), (left, right))``.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, rows, cols, channels)`` or ``(batch, channels, rows, cols)``.

    Output shape:
        ``(batch, new_rows, new_cols, channels)`` or ``(batch, channels, new_rows, new_cols)``, each cropped axis shorter by ``before + after``.

    Example:

    >>> Cropping2D(((1, 1), (2, 2)))(np.zeros((2, 8, 8, 3))).shape
    (2, 6, 4, 3)
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(rank=2, cropping=cropping, data_format=data_format, **kwargs)
