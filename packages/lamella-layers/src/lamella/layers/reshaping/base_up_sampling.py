"""``BaseUpSampling``: repeats (or interpolates) positions along spatial axes."""

import jax
import jax.numpy as jnp

from lamella.engine.input_spec import InputSpec
from lamella.engine.layer import Layer
from lamella.layers.utils import arguments

# jax.image.resize's methods, by Keras's interpolation names.
INTERPOLATIONS = {
    "nearest": None,  # repetition, exactly as Keras does it
    "bilinear": "linear",
    "bicubic": "cubic",
    "lanczos3": "lanczos3",
    "lanczos5": "lanczos5",
}


class BaseUpSampling(Layer):
    """Multiplies the size of spatial axis ``i`` by ``size[i]``.

    Args:
        rank: the number of spatial axes.
        size: an int or a tuple of ``rank`` positive ints, the factors.
        data_format: ``'channels_last'`` or ``'channels_first'``.
        interpolation: ``'nearest'`` (each position repeated) or, for 2D,
            ``'bilinear'``, ``'bicubic'``, ``'lanczos3'``, ``'lanczos5'`` (pixel
            centres aligned, as ``jax.image.resize`` and Keras do).
        **kwargs: base layer arguments.
    """

    def __init__(self, rank, size, data_format=None, interpolation="nearest", has_data_format=True, **kwargs):
        super().__init__(**kwargs)
        cls = type(self).__name__
        self.rank = rank
        self.size = arguments.int_tuple(cls, "size", size, rank)
        if not has_data_format and data_format is not None:
            raise TypeError(
                f"{type(self).__name__} takes no data_format argument: its inputs are "
                f"(batch, steps, features). Received: data_format={data_format!r}"
            )
        self._has_data_format = has_data_format
        self.data_format = arguments.data_format(cls, data_format) if has_data_format else "channels_last"
        choices = tuple(INTERPOLATIONS) if rank == 2 else ("nearest",)
        self.interpolation = arguments.one_of(cls, "interpolation", interpolation, choices)
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    def _first_spatial_axis(self):
        return 1 if self.data_format == "channels_last" else 2

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        first = self._first_spatial_axis()
        for d, factor in enumerate(self.size):
            if shape[first + d] is not None:
                shape[first + d] *= factor
        return tuple(shape)

    def call(self, inputs):
        first = self._first_spatial_axis()
        if self.interpolation == "nearest":
            for d, factor in enumerate(self.size):
                if factor > 1:
                    inputs = jnp.repeat(inputs, factor, axis=first + d)
            return inputs
        shape = self.compute_output_shape(inputs.shape)
        return jax.image.resize(
            inputs, shape, method=INTERPOLATIONS[self.interpolation], antialias=False
        ).astype(inputs.dtype)

    def get_config(self):
        config = super().get_config()
        config["size"] = self.size[0] if self.rank == 1 else self.size
        if self._has_data_format:
            config["data_format"] = self.data_format
        return config
