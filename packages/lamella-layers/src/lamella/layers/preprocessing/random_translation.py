"""``RandomTranslation``: shifts images at random during training."""

import jax

from lamella.layers.preprocessing.random_image_layer import RandomImageLayer, parse_factor


class RandomTranslation(RandomImageLayer):
    """Shifts each image by fractions of its height and width drawn from
    ``height_factor`` and ``width_factor`` (positive: down and right).

    Args:
        height_factor: ``f`` for ``[-f, f]`` or ``(lower, upper)``, fractions of the height.
        width_factor: likewise for the width.
        fill_mode, interpolation, seed, fill_value, data_format: as in ``RandomRotation``.

    Input shape:
        ``(batch, height, width, channels)`` or one image.

    Output shape:
        The input's.

    Example:

    >>> RandomTranslation(0.1, 0.1, seed=4)(np.ones((1, 8, 8, 3))).shape
    (1, 8, 8, 3)
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, fill_mode=fill_mode, interpolation=interpolation,
                         fill_value=fill_value, **kwargs)
        self.height_factor = height_factor
        self.width_factor = width_factor
        self._height_range = parse_factor("RandomTranslation", "height_factor", height_factor)
        self._width_range = parse_factor("RandomTranslation", "width_factor", width_factor)

    def augment(self, images, key):
        height_key, width_key = jax.random.split(key)
        batch = (images.shape[0], 1, 1)
        height, width = images.shape[1], images.shape[2]
        shift_rows = jax.random.uniform(height_key, batch, images.dtype, *self._height_range) * height
        shift_cols = jax.random.uniform(width_key, batch, images.dtype, *self._width_range) * width
        rows, cols, center_row, center_col = self.grid(images)
        return self.sample(images, rows + center_row - shift_rows, cols + center_col - shift_cols)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor,
                **self._fill_config()}
