"""``SpatialDropout2D``: drops whole channels of images."""

from lamella.layers.regularization.spatial_dropout import BaseSpatialDropout


class SpatialDropout2D(BaseSpatialDropout):
    """Spatial dropout for images: in training, each channel of each sample is
    zeroed with probability ``rate`` at every pixel at once, and the kept channels
    are scaled by ``1 / (1 - rate)``. At inference the input passes through.

    Args:
        rate: the fraction of channels to drop, in [0, 1].
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        seed: an integer for reproducible masks.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, rows, cols, channels)`` or ``(batch, channels, rows, cols)``.

    Output shape:
        The input's.

    Example:

    >>> SpatialDropout2D(0.5)(np.ones((2, 4, 4, 3)), training=True).shape
    (2, 4, 4, 3)
    """

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rank=2, rate=rate, data_format=data_format, seed=seed, **kwargs)
