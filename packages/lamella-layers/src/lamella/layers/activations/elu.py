"""``ELU``: the exponential linear unit."""

import jax.numpy as jnp

from lamella.engine.layer import Layer
from lamella.layers.utils import arguments


class ELU(Layer):
    """``f(x) = x`` for ``x > 0`` and ``alpha * (exp(x) - 1)`` otherwise.

    Args:
        alpha: the scale of the negative part (default 1.0).
        **kwargs: base layer arguments.

    Input shape:
        Any.

    Output shape:
        The input's.

    Example:

    >>> ELU()(np.array([0.0, 2.0])).tolist()
    [0.0, 2.0]
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = arguments.number("ELU", "alpha", alpha)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        # expm1 keeps precision near 0; the inner where keeps exp from overflowing
        # on the (discarded) positive branch, so gradients stay finite.
        negative = jnp.expm1(jnp.where(inputs > 0, jnp.zeros((), inputs.dtype), inputs))
        return jnp.where(inputs > 0, inputs, jnp.asarray(self.alpha, inputs.dtype) * negative)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["alpha"] = self.alpha
        return config
