"""``UpSampling3D``: enlarges volumes by repetition."""

from lamella.layers.reshaping.base_up_sampling import BaseUpSampling


class UpSampling3D(BaseUpSampling):
    """Repeats each position ``size[i]`` times along spatial axis ``i``.

    Args:
        size: an int or a tuple of 3 ints (default ``(2, 2, 2)``).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, d1, d2, d3, channels)`` or ``(batch, channels, d1, d2, d3)``.

    Output shape:
        ``(batch, d1 * size[0], d2 * size[1], d3 * size[2], channels)`` (or
        channels first).

    Example:

    >>> UpSampling3D()(np.zeros((1, 2, 2, 2, 3))).shape
    (1, 4, 4, 4, 3)
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(rank=3, size=size, data_format=data_format, **kwargs)
