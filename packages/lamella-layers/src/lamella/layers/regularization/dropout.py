"""``Dropout``: randomly zeroes inputs during training."""

import numbers

import jax
import jax.numpy as jnp

from lamella.engine.layer import Layer
from lamella.random.seed_generator import SeedGenerator


class Dropout(Layer):
    """Sets each input to 0 with probability ``rate`` during training, and scales the
    others by ``1 / (1 - rate)`` so the expected sum is unchanged. At inference
    (``training`` false or unset) the input passes through.

    Args:
        rate: the fraction of inputs to drop, in ``[0, 1]`` (``1`` drops everything).
        noise_shape: the shape of the keep/drop mask, broadcast over the input; use
            ``(batch_size, 1, features)`` to drop the same features at every time
            step. ``None`` entries take the input's size.
        seed: an integer for reproducible masks.
        **kwargs: base layer arguments.

    Input shape:
        Any.

    Output shape:
        The input's.

    Example:

    >>> layer = Dropout(0.5, seed=1)
    >>> x = np.ones((4, 100), "float32")
    >>> bool((layer(x) == x).all())  # inference: unchanged
    True
    >>> sorted({float(v) for v in np.asarray(layer(x, training=True)).ravel()})
    [0.0, 2.0]
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate <= 1:
            raise ValueError(
                f"{type(self).__name__} expected a rate in [0, 1] (the fraction of inputs to drop). "
                f"Received: rate={rate!r}"
            )
        # Plain Python numbers, so the config stays JSON-ready for numpy rates too.
        self.rate = int(rate) if isinstance(rate, numbers.Integral) else float(rate)
        self.noise_shape = _validate_noise_shape(noise_shape)
        self.seed = seed
        if rate > 0:
            self.seed_generator = SeedGenerator(seed, name=f"{self.name}_seed")
        self.supports_masking = True
        self.built = True

    def _mask_shape(self, shape):
        if self.noise_shape is None:
            return shape
        if len(self.noise_shape) != len(shape):
            raise ValueError(
                f"Dropout layer '{self.name}': noise_shape {self.noise_shape} must have "
                f"the input's rank {len(shape)}. Received input shape {shape}"
            )
        return tuple(s if n is None else n for n, s in zip(self.noise_shape, shape))

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            # Everything dropped: zeros (and zero gradients, not 0 * inf).
            return jnp.zeros_like(inputs)
        keep = 1.0 - self.rate
        mask = jax.random.bernoulli(
            self.seed_generator.next(), keep, self._mask_shape(tuple(inputs.shape))
        )
        scaled = inputs / jnp.asarray(keep, inputs.dtype)
        return jnp.where(mask, scaled, jnp.zeros((), inputs.dtype))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed})
        return config


def _validate_noise_shape(noise_shape):
    """``noise_shape`` as a tuple of positive integers and ``None``s."""
    if noise_shape is None:
        return None
    if isinstance(noise_shape, str):
        raise ValueError(
            "Dropout expected noise_shape to be a tuple of integers or None. "
            f"Received: noise_shape={noise_shape!r}"
        )
    try:
        noise_shape = tuple(noise_shape)
    except TypeError:
        raise ValueError(
            "Dropout expected noise_shape to be a tuple of integers or None. "
            f"Received: noise_shape={noise_shape!r}"
        ) from None
    for index, size in enumerate(noise_shape):
        if size is None:
            continue
        if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size <= 0:
            raise ValueError(
                "Dropout expected noise_shape entries to be positive integers or "
                f"None. Received: noise_shape={noise_shape!r} (entry {index} is "
                f"{size!r})"
            )
    return tuple(None if size is None else int(size) for size in noise_shape)
