"""``RandomContrast``: random contrast changes during training."""

import jax
import jax.numpy as jnp

from lamella.layers.preprocessing.random_image_layer import RandomImageLayer, parse_factor


def _value_range(layer_name, value_range):
    if not (isinstance(value_range, list | tuple) and len(value_range) == 2 and value_range[0] < value_range[1]):
        raise ValueError(f"{layer_name} expected value_range to be (low, high) with low < high. "
                         f"Received: value_range={value_range!r}")
    return tuple(float(v) for v in value_range)


class RandomContrast(RandomImageLayer):
    """Scales each image's deviation from its per-channel mean by a factor drawn
    from ``[1 - lower, 1 + upper]``, then clips to ``value_range``.

    Args:
        factor: ``f`` (``lower = upper = f``) or ``(lower, upper)``, in ``[0, 1]``.
        value_range: the range the output is clipped to.
        seed: an integer for reproducible factors.

    Example:

    >>> RandomContrast(0.5, seed=1)(np.ones((1, 3, 3, 3))).tolist() == np.ones((1, 3, 3, 3)).tolist()
    True
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = factor
        pair = parse_factor("RandomContrast", "factor", factor, low=-1.0, high=1.0)
        lower, upper = (abs(pair[1]), abs(pair[1])) if not isinstance(factor, list | tuple) else pair
        if not (0 <= lower <= 1 and 0 <= upper <= 1):
            raise ValueError(f"RandomContrast expected factor values in [0, 1]. Received: factor={factor!r}")
        self._range = (1 - lower, 1 + upper)
        self.value_range = _value_range("RandomContrast", value_range)

    def augment(self, images, key):
        factors = jax.random.uniform(key, (images.shape[0], 1, 1, 1), images.dtype, *self._range)
        mean = jnp.mean(images, axis=(1, 2), keepdims=True)
        return jnp.clip((images - mean) * factors + mean, *self.value_range)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": list(self.value_range)}
