"""``GaussianDropout``: multiplies inputs by Gaussian noise centred on 1."""

import math

import jax
import jax.numpy as jnp

from lamella.engine.layer import Layer
from lamella.layers.utils import arguments
from lamella.random.seed_generator import SeedGenerator


class GaussianDropout(Layer):
    """Multiplies every input by noise drawn from ``N(1, rate / (1 - rate))`` in
    training: the multiplicative noise with the mean and variance of dropout at
    ``rate``, without zeros. At inference the input passes through.

    Args:
        rate: the equivalent drop probability, in [0, 1).
        seed: an integer for reproducible noise.
        **kwargs: base layer arguments.

    Input shape:
        Any.

    Output shape:
        The input's.

    Example:

    >>> GaussianDropout(0.2)(np.ones((1, 3))).tolist()
    [[1.0, 1.0, 1.0]]
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = arguments.rate("GaussianDropout", rate)
        self.seed = seed
        if self.rate > 0:
            self.seed_generator = SeedGenerator(seed, name=f"{self.name}_seed")
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = jax.random.normal(self.seed_generator.next(), inputs.shape, inputs.dtype)
        return inputs * (jnp.asarray(1, inputs.dtype) + noise * jnp.asarray(stddev, inputs.dtype))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        return config
