"""``SpatialDropout1D``: drops whole channels of sequences."""

from lamella.layers.regularization.spatial_dropout import BaseSpatialDropout


class SpatialDropout1D(BaseSpatialDropout):
    """Spatial dropout for sequences: in training, each channel of each sample is
    zeroed with probability ``rate`` at every step at once, and the kept channels
    are scaled by ``1 / (1 - rate)``. At inference the input passes through.

    Args:
        rate: the fraction of channels to drop, in [0, 1].
        seed: an integer for reproducible masks.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, steps, channels)``.

    Output shape:
        The input's.

    Example:

    >>> SpatialDropout1D(0.5)(np.ones((2, 5, 3)), training=True).shape
    (2, 5, 3)
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(rank=1, rate=rate, has_data_format=False, seed=seed, **kwargs)
