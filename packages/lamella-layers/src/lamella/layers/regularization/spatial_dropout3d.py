"""``SpatialDropout3D``: drops whole channels of volumes."""

from lamella.layers.regularization.spatial_dropout import BaseSpatialDropout


class SpatialDropout3D(BaseSpatialDropout):
    """Spatial dropout for volumes: in training, each channel of each sample is
    zeroed with probability ``rate`` at every position at once, and the kept channels
    are scaled by ``1 / (1 - rate)``. At inference the input passes through.

    Args:
        rate: the fraction of channels to drop, in [0, 1].
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        seed: an integer for reproducible masks.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, d1, d2, d3, channels)`` or ``(batch, channels, d1, d2, d3)``.

    Output shape:
        The input's.

    Example:

    >>> SpatialDropout3D(0.5)(np.ones((1, 2, 2, 2, 3)), training=True).shape
    (1, 2, 2, 2, 3)
    """

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rank=3, rate=rate, data_format=data_format, seed=seed, **kwargs)
