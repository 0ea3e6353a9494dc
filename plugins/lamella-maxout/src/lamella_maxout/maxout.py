"""``Maxout``: the maximum of several linear pieces per unit."""

import jax.numpy as jnp

from lamella import initializers
from lamella.engine.input_spec import InputSpec
from lamella.engine.layer import Layer


class Maxout(Layer):
    """``output[..., u] = max_k (input @ kernel[:, u, k] + bias[u, k])``.

    Each unit takes the largest of ``pieces`` affine functions of the input, a
    learned piecewise-linear convex activation.

    Args:
        units: the number of outputs.
        pieces: the number of linear pieces per unit (at least 2).
        kernel_initializer: initializer of the kernel.
        bias_initializer: initializer of the bias.

    Input shape:
        ``(batch_size, ..., input_dim)``.

    Output shape:
        ``(batch_size, ..., units)``.
    """

    def __init__(self, units, pieces=2, kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        if not isinstance(units, int) or units <= 0:
            raise ValueError(f"Maxout expected a positive integer for units. Received: units={units!r}")
        if not isinstance(pieces, int) or pieces < 2:
            raise ValueError(f"Maxout expected pieces >= 2. Received: pieces={pieces!r}")
        self.units = units
        self.pieces = pieces
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self.kernel = self.add_weight(
            name="kernel", shape=(input_dim, self.units * self.pieces),
            initializer=self.kernel_initializer,
        )
        self.bias = self.add_weight(
            name="bias", shape=(self.units * self.pieces,), initializer=self.bias_initializer
        )
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})

    def call(self, inputs):
        z = jnp.matmul(inputs, self.kernel.value) + self.bias.value
        z = z.reshape(*z.shape[:-1], self.units, self.pieces)
        return jnp.max(z, axis=-1)

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape)[:-1], self.units)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "pieces": self.pieces,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
            }
        )
        return config
