"""``BaseGlobalPooling``: max or mean over every spatial position."""

import jax.numpy as jnp

from lamella.engine.input_spec import InputSpec
from lamella.engine.layer import Layer
from lamella.layers.utils import arguments


class BaseGlobalPooling(Layer):
    """Reduces all spatial positions of each channel to one value (max or mean).

    Args:
        rank: the number of spatial dimensions.
        mode: ``'max'`` or ``'average'``.
        data_format: ``'channels_last'`` or ``'channels_first'``.
        keepdims: keep the spatial axes, with size 1.
        **kwargs: base layer arguments.
    """

    def __init__(self, rank, mode, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        cls = type(self).__name__
        self.rank = rank
        self.mode = mode
        self.data_format = arguments.data_format(cls, data_format)
        if not isinstance(keepdims, bool):
            raise ValueError(f"{cls} expected a bool for keepdims. Received: keepdims={keepdims!r}")
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    def _spatial_axes(self):
        if self.data_format == "channels_last":
            return tuple(range(1, self.rank + 1))
        return tuple(range(2, self.rank + 2))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"Layer '{self.name}' expects inputs of rank {self.rank + 2}. "
                f"Received: input_shape={input_shape}"
            )
        axes = self._spatial_axes()
        if self.keepdims:
            return tuple(1 if axis in axes else d for axis, d in enumerate(input_shape))
        return tuple(d for axis, d in enumerate(input_shape) if axis not in axes)

    def call(self, inputs):
        reduce = jnp.max if self.mode == "max" else jnp.mean
        return reduce(inputs, axis=self._spatial_axes(), keepdims=self.keepdims)

    def get_config(self):
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config
