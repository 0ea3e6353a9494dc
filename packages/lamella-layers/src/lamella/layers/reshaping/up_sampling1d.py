"""``UpSampling1D``: repeats each step."""

from lamella.layers.reshaping.base_up_sampling import BaseUpSampling


class UpSampling1D(BaseUpSampling):
    """Repeats each step ``size`` times along the steps axis.

    Args:
        size: the number of repetitions, a positive int (default 2).
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, steps, features)``.

    Output shape:
        ``(batch, steps * size, features)``.

    Example:

    >>> UpSampling1D(2)(np.array([[[1.0], [2.0]]]))[0, :, 0].tolist()
    [1.0, 1.0, 2.0, 2.0]
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(rank=1, size=size, has_data_format=False, **kwargs)
