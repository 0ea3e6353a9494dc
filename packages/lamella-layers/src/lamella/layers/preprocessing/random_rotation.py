"""``RandomRotation``: rotates images by random angles during training."""

import jax
import jax.numpy as jnp

from lamella.layers.preprocessing.random_image_layer import RandomImageLayer, parse_factor


class RandomRotation(RandomImageLayer):
    """Rotates each image about its centre by an angle drawn uniformly from
    ``factor * 2 pi`` (counter-clockwise for positive angles).

    Args:
        factor: ``f`` for ``[-f, f]`` or ``(lower, upper)``, fractions of a full turn.
        fill_mode: ``reflect``, ``wrap``, ``constant`` or ``nearest``.
        interpolation: ``bilinear`` or ``nearest``.
        seed: an integer for reproducible rotations.
        fill_value: the value outside the image with ``fill_mode='constant'``.
        data_format: ``channels_last`` or ``channels_first``.

    Input shape:
        ``(batch, height, width, channels)`` or one image.

    Output shape:
        The input's.

    Example:

    >>> RandomRotation(0.1, seed=2)(np.ones((1, 5, 5, 1))).shape
    (1, 5, 5, 1)
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0,
                 data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, fill_mode=fill_mode, interpolation=interpolation,
                         fill_value=fill_value, **kwargs)
        self.factor = factor
        self._range = parse_factor("RandomRotation", "factor", factor, low=-10.0, high=10.0)

    def augment(self, images, key):
        low, high = self._range
        angles = jax.random.uniform(key, (images.shape[0],), images.dtype, low, high) * (2 * jnp.pi)
        rows, cols, center_row, center_col = self.grid(images)
        cos, sin = jnp.cos(angles)[:, None, None], jnp.sin(angles)[:, None, None]
        # Inverse mapping: the input point that lands on each output pixel.
        source_rows = cos * rows + sin * cols + center_row
        source_cols = -sin * rows + cos * cols + center_col
        return self.sample(images, source_rows, source_cols)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, **self._fill_config()}
