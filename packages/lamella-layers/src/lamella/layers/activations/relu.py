"""``ReLU``: the rectified linear unit, with an optional cap, slope and threshold."""

import jax.numpy as jnp

from lamella.engine.layer import Layer
from lamella.layers.utils import arguments


class ReLU(Layer):
    """Rectified linear unit:

    ``f(x) = max_value`` for ``x >= max_value``; ``x`` for ``threshold <= x <
    max_value``; ``negative_slope * (x - threshold)`` otherwise. The defaults give
    ``max(x, 0)``; ``ReLU(max_value=6)`` is ReLU6.

    Args:
        max_value: the cap (a non-negative number), or ``None`` for none.
        negative_slope: the slope below the threshold (non-negative, default 0).
        threshold: a non-negative number below which values are damped (default 0).
        **kwargs: base layer arguments.

    Input shape:
        Any.

    Output shape:
        The input's.

    Example:

    >>> ReLU(max_value=6.0)(np.array([-2.0, 3.0, 8.0])).tolist()
    [0.0, 3.0, 6.0]
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.max_value = arguments.non_negative_number("ReLU", "max_value", max_value, allow_none=True)
        self.negative_slope = arguments.non_negative_number("ReLU", "negative_slope", negative_slope)
        self.threshold = arguments.non_negative_number("ReLU", "threshold", threshold)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        dtype = inputs.dtype
        threshold = jnp.asarray(self.threshold, dtype)
        if self.negative_slope:
            below = jnp.asarray(self.negative_slope, dtype) * (inputs - threshold)
        else:
            below = jnp.zeros((), dtype)  # 0, not 0 * (x - threshold) = -0.0
        outputs = jnp.where(inputs >= threshold, inputs, below)
        if self.max_value is not None:
            outputs = jnp.minimum(outputs, jnp.asarray(self.max_value, dtype))
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {"max_value": self.max_value, "negative_slope": self.negative_slope, "threshold": self.threshold}
        )
        return config
