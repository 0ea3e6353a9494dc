"""``BaseZeroPadding``: adds zeros at both ends of spatial axes."""

import jax.numpy as jnp

from lamella.engine.input_spec import InputSpec
from lamella.engine.layer import Layer
from lamella.layers.utils import arguments


class BaseZeroPadding(Layer):
    """Pads spatial axis ``i`` with ``padding[i] = (before, after)`` zeros.

    Args:
        rank: the number of spatial axes.
        padding: an int, or per axis an int (symmetric) or a ``(before, after)``
            pair (for one axis, a pair).
        data_format: ``'channels_last'`` or ``'channels_first'``.
        **kwargs: base layer arguments.
    """

    def __init__(self, rank, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        cls = type(self).__name__
        self.rank = rank
        self.padding = arguments.int_pairs(cls, "padding", padding, rank)
        self.data_format = arguments.data_format(cls, data_format)
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    def _widths(self):
        if self.data_format == "channels_last":
            return [(0, 0), *self.padding, (0, 0)]
        return [(0, 0), (0, 0), *self.padding]

    def compute_output_shape(self, input_shape):
        return tuple(
            None if size is None else size + before + after
            for size, (before, after) in zip(input_shape, self._widths())
        )

    def call(self, inputs):
        return jnp.pad(inputs, self._widths())

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "padding": self.padding[0] if self.rank == 1 else self.padding,
                "data_format": self.data_format,
            }
        )
        return config
