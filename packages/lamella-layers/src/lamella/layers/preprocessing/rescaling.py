"""``Rescaling``: ``x * scale + offset``."""

import jax.numpy as jnp
import numpy as np

from lamella.engine.layer import Layer


class Rescaling(Layer):
    """Multiplies by ``scale`` and adds ``offset`` (e.g. ``1/255`` for ``[0, 1]``,
    ``scale=1/127.5, offset=-1`` for ``[-1, 1]``), in the compute dtype.

    Args:
        scale: a number, or one per channel (a list, broadcast on the last axis).
        offset: likewise.

    Input shape:
        Any.

    Output shape:
        The input's.

    Example:

    >>> Rescaling(1 / 255)(np.array([[0.0, 255.0]])).tolist()
    [[0.0, 1.0]]
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        for name, value in (("scale", scale), ("offset", offset)):
            if isinstance(value, bool) or not (isinstance(value, int | float | np.number)
                                               or isinstance(value, list | tuple | np.ndarray)):
                raise ValueError(f"Rescaling expected a number or a list of numbers for {name}. Received: {name}={value!r}")
        self.scale = np.asarray(scale).tolist() if isinstance(scale, np.ndarray) else scale
        self.offset = np.asarray(offset).tolist() if isinstance(offset, np.ndarray) else offset
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        dtype = self.compute_dtype
        return jnp.asarray(inputs, dtype) * jnp.asarray(self.scale, dtype) + jnp.asarray(self.offset, dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}
