"""``GaussianNoise``: adds zero-mean Gaussian noise during training."""

import jax
import jax.numpy as jnp

from lamella.engine.layer import Layer
from lamella.layers.utils import arguments
from lamella.random.seed_generator import SeedGenerator


class GaussianNoise(Layer):
    """Adds noise drawn from ``N(0, stddev ** 2)`` to every input in training (a
    regularizer, and a form of data augmentation for real-valued inputs). At
    inference the input passes through.

    Args:
        stddev: the noise's standard deviation, a non-negative number.
        seed: an integer for reproducible noise.
        **kwargs: base layer arguments.

    Input shape:
        Any.

    Output shape:
        The input's.

    Example:

    >>> GaussianNoise(0.1)(np.ones((2, 3))).tolist()
    [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.stddev = arguments.non_negative_number("GaussianNoise", "stddev", stddev)
        self.seed = seed
        if self.stddev > 0:
            self.seed_generator = SeedGenerator(seed, name=f"{self.name}_seed")
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.stddev == 0:
            return inputs
        noise = jax.random.normal(self.seed_generator.next(), inputs.shape, inputs.dtype)
        return inputs + noise * jnp.asarray(self.stddev, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"stddev": self.stddev, "seed": self.seed})
        return config
