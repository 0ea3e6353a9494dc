"""``Cropping3D``: crops the three spatial axes."""

from lamella.layers.reshaping.base_cropping import BaseCropping


class Cropping3D(BaseCropping):
    """Removes positions at both ends of the three spatial axes.

    Args:
        cropping: an int, a tuple of 3 ints (symmetric per axis) or 3 pairs
            ``(before, after)``.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, d1, d2, d3, channels)`` or ``(batch, channels, d1, d2, d3)``.

    Output shape:
        ``(batch, new_d1, new_d2, new_d3, channels)`` or ``(batch, channels, new_d1, new_d2, new_d3)``, each cropped axis shorter by ``before + after``.

    Example:

    >>> Cropping3D()(np.zeros((1, 4, 4, 4, 2))).shape
    (1, 2, 2, 2, 2)
    """

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(rank=3, cropping=cropping, data_format=data_format, **kwargs)
