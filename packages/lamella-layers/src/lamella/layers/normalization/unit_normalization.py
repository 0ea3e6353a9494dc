"""``UnitNormalization``: scales each sample to unit L2 norm."""

import jax
import jax.numpy as jnp

from lamella.engine.layer import Layer
from lamella.layers.utils import arguments


class UnitNormalization(Layer):
    """Divides each sample by its L2 norm over ``axis``: ``x / sqrt(max(sum(x ** 2),
    1e-12))`` (the floor keeps an all-zero sample at zero).

    Args:
        axis: the axis or axes of the norm (default -1).
        **kwargs: base layer arguments.

    Input shape:
        Any.

    Output shape:
        The input's.

    Example:

    >>> UnitNormalization()(np.array([[3.0, 4.0]])).tolist()
    [[0.6000000238418579, 0.800000011920929]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = arguments.axis_list("UnitNormalization", "axis", axis)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        axes = self.axis if isinstance(self.axis, int) else tuple(self.axis)
        square_sum = jnp.sum(jnp.square(inputs), axis=axes, keepdims=True)
        return inputs * jax.lax.rsqrt(jnp.maximum(square_sum, jnp.asarray(1e-12, inputs.dtype)))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
