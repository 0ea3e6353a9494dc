"""``Cropping1D``: crops the steps axis."""

from lamella.layers.reshaping.base_cropping import BaseCropping


class Cropping1D(BaseCropping):
    """Removes positions at both ends of the steps axis.

    Args:
        cropping: an int (the same at both ends) or a pair ``(before, after)``.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, steps, features)``.

    Output shape:
        ``(batch, new_steps, features)``, each cropped axis shorter by ``before + after``.

    Example:

    >>> Cropping1D((1, 2))(np.zeros((2, 10, 3))).shape
    (2, 7, 3)
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(rank=1, cropping=cropping, has_data_format=False, **kwargs)
