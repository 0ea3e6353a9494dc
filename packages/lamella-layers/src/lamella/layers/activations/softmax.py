"""``Softmax``: the softmax over one or more axes, with an optional mask."""

import jax.numpy as jnp

from lamella import ops
from lamella.engine.layer import Layer
from lamella.layers.utils import arguments


def large_negative(dtype):
    """A large negative number representable in ``dtype`` (added to masked logits)."""
    return -1e9 if jnp.finfo(dtype).bits > 16 else -3e4


class Softmax(Layer):
    """``softmax(x) = exp(x) / sum(exp(x))`` along ``axis``.

    With a ``mask`` (true for positions to keep), masked positions get a large
    negative logit before the softmax and an output of 0, so the kept positions'
    probabilities sum to one (and a fully masked row is all zeros). Under a
    16-bit (mixed precision) policy the softmax is computed and returned in
    float32.

    Args:
        axis: the axis or axes to normalize over (default -1).
        **kwargs: base layer arguments.

    Call arguments:
        inputs: the logits.
        mask: optional, broadcastable to the inputs.

    Input shape:
        Any.

    Output shape:
        The input's.

    Example:

    >>> Softmax()(np.array([[0.0, 0.0]])).tolist()
    [[0.5, 0.5]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = arguments.axis_list("Softmax", "axis", axis)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, mask=None):
        axis = self.axis
        if mask is not None:
            keep = jnp.asarray(mask, inputs.dtype)
            inputs = inputs + (1 - keep) * jnp.asarray(large_negative(inputs.dtype), inputs.dtype)
        outputs = ops.softmax(inputs, axis=axis)  # float32 for 16-bit logits
        if mask is not None:
            outputs = outputs * keep
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
