"""``UpSampling2D``: enlarges images by repetition or interpolation."""

from lamella.layers.reshaping.base_up_sampling import BaseUpSampling


class UpSampling2D(BaseUpSampling):
    """Multiplies the number of rows and columns by ``size``.

    With ``interpolation='nearest'`` each pixel is repeated ``size[0]`` times down and
    ``size[1]`` times across; the other interpolations resize with
    ``jax.image.resize`` (half-pixel centres, no antialiasing), as Keras does.

    Args:
        size: an int or a pair of ints, the row and column factors (default
            ``(2, 2)``).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        interpolation: ``'nearest'`` (default), ``'bilinear'``, ``'bicubic'``,
            ``'lanczos3'`` or ``'lanczos5'``.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, rows, cols, channels)`` or ``(batch, channels, rows, cols)``.

    Output shape:
        ``(batch, rows * size[0], cols * size[1], channels)`` or
        ``(batch, channels, rows * size[0], cols * size[1])``.

    Example:

    >>> UpSampling2D((2, 3))(np.zeros((1, 4, 4, 3))).shape
    (1, 8, 12, 3)
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(
            rank=2, size=size, data_format=data_format, interpolation=interpolation, **kwargs
        )

    def get_config(self):
        config = super().get_config()
        config["interpolation"] = self.interpolation
        return config
