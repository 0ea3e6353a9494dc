"""``AlphaDropout``: dropout that keeps SELU's self-normalization."""

import jax
import jax.numpy as jnp

from lamella.engine.layer import Layer
from lamella.layers.regularization.dropout import _validate_noise_shape
from lamella.layers.utils import arguments
from lamella.random.seed_generator import SeedGenerator

# SELU's constants (Klambauer et al., 2017): a dropped unit is set to SELU's
# negative saturation value -alpha * scale instead of 0.
_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Layer):
    """Dropout for self-normalizing networks (``selu`` activations, ``lecun_normal``
    initialization): keeps the inputs' mean and variance.

    In training, each input is kept with probability ``1 - rate`` or set to
    ``alpha' = -alpha * scale`` (SELU's negative saturation), then the result is
    transformed by ``a * x + b`` with ``a = ((1 - rate) * (1 + rate * alpha'^2))
    ** -0.5`` and ``b = -a * alpha' * rate``, which restores zero mean and unit
    variance for standardized inputs. At inference the input passes through.

    Args:
        rate: the fraction of inputs to drop, in [0, 1).
        noise_shape: the shape of the keep/drop mask, broadcast over the input
            (``None`` entries take the input's size).
        seed: an integer for reproducible masks.
        **kwargs: base layer arguments.

    Input shape:
        Any.

    Output shape:
        The input's.

    Example:

    >>> AlphaDropout(0.1)(np.ones((1, 2))).tolist()
    [[1.0, 1.0]]
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = arguments.rate("AlphaDropout", rate)
        self.noise_shape = _validate_noise_shape(noise_shape)
        self.seed = seed
        if self.rate > 0:
            self.seed_generator = SeedGenerator(seed, name=f"{self.name}_seed")
        self.supports_masking = True
        self.built = True

    def _mask_shape(self, shape):
        if self.noise_shape is None:
            return shape
        if len(self.noise_shape) != len(shape):
            raise ValueError(
                f"AlphaDropout layer '{self.name}': noise_shape {self.noise_shape} must "
                f"have the input's rank {len(shape)}. Received input shape {shape}"
            )
        return tuple(s if n is None else n for n, s in zip(self.noise_shape, shape))

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        alpha_p = -_ALPHA * _SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * self.rate
        keep = jax.random.bernoulli(
            self.seed_generator.next(), 1.0 - self.rate, self._mask_shape(tuple(inputs.shape))
        )
        dtype = inputs.dtype
        dropped = jnp.where(keep, inputs, jnp.asarray(alpha_p, dtype))
        return dropped * jnp.asarray(a, dtype) + jnp.asarray(b, dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed})
        return config
