"""``RandomBrightness``: random brightness shifts during training."""

import jax
import jax.numpy as jnp

from lamella.layers.preprocessing.random_contrast import _value_range
from lamella.layers.preprocessing.random_image_layer import RandomImageLayer, parse_factor


class RandomBrightness(RandomImageLayer):
    """Adds to each image ``u * (high - low)`` of its ``value_range``, ``u`` drawn
    from ``factor``, then clips to the range.

    Args:
        factor: ``f`` for ``[-f, f]`` or ``(lower, upper)``, in ``[-1, 1]``.
        value_range: ``(low, high)`` of the pixel values.
        seed: an integer for reproducible shifts.

    Example:

    >>> round(float(RandomBrightness((0.1, 0.1), value_range=(0, 1))(np.zeros((1, 2, 2, 1))).max()), 3)
    0.1
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = factor
        self._range = parse_factor("RandomBrightness", "factor", factor)
        self.value_range = _value_range("RandomBrightness", value_range)

    def augment(self, images, key):
        low, high = self.value_range
        delta = jax.random.uniform(key, (images.shape[0], 1, 1, 1), images.dtype, *self._range) * (high - low)
        return jnp.clip(images + delta, low, high)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": list(self.value_range)}
