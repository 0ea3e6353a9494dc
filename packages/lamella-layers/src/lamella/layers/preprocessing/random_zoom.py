"""``RandomZoom``: zooms images in or out at random during training."""

import jax

from lamella.layers.preprocessing.random_image_layer import RandomImageLayer, parse_factor


class RandomZoom(RandomImageLayer):
    """Zooms each image about its centre by ``1 + u``, ``u`` drawn from
    ``height_factor`` (and ``width_factor``; by default the same zoom on both
    axes): a positive ``u`` zooms out (the image shrinks), a negative one zooms in.

    Args:
        height_factor: ``f`` for ``[-f, f]`` or ``(lower, upper)``, in ``[-1, ...]``.
        width_factor: likewise, or ``None`` to keep the aspect ratio.
        fill_mode, interpolation, seed, fill_value, data_format: as in ``RandomRotation``.

    Input shape:
        ``(batch, height, width, channels)`` or one image.

    Output shape:
        The input's.

    Example:

    >>> RandomZoom(0.2, seed=3)(np.ones((1, 6, 6, 3))).shape
    (1, 6, 6, 3)
    """

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, fill_mode=fill_mode, interpolation=interpolation,
                         fill_value=fill_value, **kwargs)
        self.height_factor = height_factor
        self.width_factor = width_factor
        self._height_range = parse_factor("RandomZoom", "height_factor", height_factor, low=-1.0, high=10.0)
        self._width_range = None if width_factor is None else parse_factor(
            "RandomZoom", "width_factor", width_factor, low=-1.0, high=10.0)

    def augment(self, images, key):
        height_key, width_key = jax.random.split(key)
        batch = (images.shape[0], 1, 1)
        zoom_rows = 1 + jax.random.uniform(height_key, batch, images.dtype, *self._height_range)
        zoom_cols = zoom_rows if self._width_range is None else 1 + jax.random.uniform(
            width_key, batch, images.dtype, *self._width_range)
        rows, cols, center_row, center_col = self.grid(images)
        return self.sample(images, rows * zoom_rows + center_row, cols * zoom_cols + center_col)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor,
                **self._fill_config()}
