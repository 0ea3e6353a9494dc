"""``RepeatVector``: repeats a vector ``n`` times along a new axis."""

import jax.numpy as jnp

from lamella.engine.input_spec import InputSpec
from lamella.engine.layer import Layer
from lamella.layers.utils import arguments


class RepeatVector(Layer):
    """Repeats each sample's vector ``n`` times: ``(batch, features)`` becomes
    ``(batch, n, features)`` (e.g. to feed an encoder's state to every decoder step).

    Args:
        n: the number of repetitions, a positive integer.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch_size, features)``.

    Output shape:
        ``(batch_size, n, features)``.

    Example:

    >>> RepeatVector(3)(np.zeros((2, 32))).shape
    (2, 3, 32)
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = arguments.positive_int("RepeatVector", "n", n)
        self.input_spec = InputSpec(ndim=2)
        self.built = True

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def call(self, inputs):
        return jnp.repeat(inputs[:, None, :], self.n, axis=1)

    def get_config(self):
        config = super().get_config()
        config["n"] = self.n
        return config
