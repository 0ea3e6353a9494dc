"""``ThresholdedReLU``: passes inputs above a threshold, zeroes the others (Keras 2)."""

import jax.numpy as jnp

from lamella.engine.layer import Layer
from lamella.layers.utils import arguments


class ThresholdedReLU(Layer):
    """``f(x) = x`` for ``x > theta`` and ``0`` otherwise.

    Keras 3 dropped this layer (``ReLU(threshold=theta)`` differs: it keeps
    ``x >= theta`` and damps the rest by a slope); this is Keras 2's.

    Args:
        theta: the threshold, a non-negative number (default 1.0).
        **kwargs: base layer arguments.

    Input shape:
        Any.

    Output shape:
        The input's.

    Example:

    >>> ThresholdedReLU(theta=1.0)(np.array([0.5, 1.0, 2.0])).tolist()
    [0.0, 0.0, 2.0]
    """

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        self.theta = arguments.non_negative_number("ThresholdedReLU", "theta", theta)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return jnp.where(inputs > jnp.asarray(self.theta, inputs.dtype), inputs, jnp.zeros((), inputs.dtype))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["theta"] = self.theta
        return config
