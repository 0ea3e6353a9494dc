"""``LeakyReLU``: a ReLU with a small slope for negative inputs."""

import warnings

import jax.numpy as jnp

from lamella.engine.layer import Layer
from lamella.layers.utils import arguments


class LeakyReLU(Layer):
    """``f(x) = x`` for ``x >= 0`` and ``negative_slope * x`` otherwise.

    Args:
        negative_slope: the slope for negative inputs, non-negative (default 0.3).
        **kwargs: base layer arguments. ``alpha=`` (the Keras 2 name of
            ``negative_slope``) is accepted with a warning.

    Input shape:
        Any.

    Output shape:
        The input's.

    Example:

    >>> LeakyReLU(negative_slope=0.5)(np.array([-2.0, 3.0])).tolist()
    [-1.0, 3.0]
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn(
                "LeakyReLU's argument alpha is called negative_slope since Keras 3; "
                "alpha is taken as negative_slope.",
                UserWarning,
                stacklevel=2,
            )
        super().__init__(**kwargs)
        self.negative_slope = arguments.non_negative_number("LeakyReLU", "negative_slope", negative_slope)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return jnp.where(inputs >= 0, inputs, inputs * jnp.asarray(self.negative_slope, inputs.dtype))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["negative_slope"] = self.negative_slope
        return config
