"""``RandomImageLayer``: what the random image augmentation layers share.

They transform images during training only (``training=True``, which is also
the default when such a layer is called directly on data, as in Keras); at
inference they pass images through (``RandomCrop`` resizes). Random numbers come
from the layer's ``SeedGenerator``, part of the model's state, so a compiled
training step stays pure and a seeded layer repeats its draws.

Geometric transforms map every output pixel to a point of the input (about the
image centre) and sample it with ``jax.scipy.ndimage.map_coordinates``; points
outside follow ``fill_mode``: ``reflect`` (``dcba|abcd|dcba``), ``wrap``,
``constant`` (``fill_value``) or ``nearest``.
"""

import numbers

import jax
import jax.numpy as jnp

from lamella.engine.layer import Layer
from lamella.layers.preprocessing import image_ops
from lamella.random.seed_generator import SeedGenerator

FILL_MODES = ("reflect", "wrap", "constant", "nearest")


def parse_factor(layer_name, name, factor, low=-1.0, high=1.0, symmetric=True):
    """``factor`` as ``(lower, upper)``: a number ``f`` means ``(-f, f)`` (or
    ``(0, f)`` when not symmetric)."""
    if isinstance(factor, numbers.Real) and not isinstance(factor, bool):
        pair = (-abs(float(factor)), abs(float(factor))) if symmetric else (0.0, float(factor))
    elif isinstance(factor, list | tuple) and len(factor) == 2 and all(
            isinstance(f, numbers.Real) and not isinstance(f, bool) for f in factor):
        pair = (float(factor[0]), float(factor[1]))
    else:
        raise ValueError(f"{layer_name} expected {name} to be a number or a pair of numbers. Received: {name}={factor!r}")
    if pair[0] > pair[1] or pair[0] < low or pair[1] > high:
        raise ValueError(
            f"{layer_name} expected {name} within [{low}, {high}] with lower <= upper. Received: {name}={factor!r}"
        )
    return pair


class RandomImageLayer(Layer):
    """Base of the random augmentation layers (seed, training switch, sampling)."""

    def __init__(self, seed=None, data_format=None, fill_mode="reflect", interpolation="bilinear", fill_value=0.0,
                 **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        if fill_mode not in FILL_MODES:
            raise ValueError(f"{name} expected fill_mode to be one of {FILL_MODES}. Received: fill_mode={fill_mode!r}")
        if interpolation not in ("bilinear", "nearest"):
            raise ValueError(
                f"{name} expected interpolation 'bilinear' or 'nearest'. Received: interpolation={interpolation!r}"
            )
        self.seed = seed
        self.data_format = image_ops.data_format_of(name, data_format)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value
        self.seed_generator = SeedGenerator(seed, name=f"{self.name}_seed")
        self.built = True

    def call(self, inputs, training=True):
        inputs = jnp.asarray(inputs, self.compute_dtype)
        if not training:
            return self.inference(inputs)
        batched = inputs.ndim == 4
        images = inputs if batched else inputs[None]
        if self.data_format == "channels_first":
            images = jnp.moveaxis(images, 1, -1)
        out = self.augment(images, self.seed_generator.next())
        if self.data_format == "channels_first":
            out = jnp.moveaxis(out, -1, 1)
        return out if batched else out[0]

    def inference(self, inputs):
        return inputs

    def augment(self, images, key):
        """``images`` (channels last, batched) transformed with random ``key``."""
        raise NotImplementedError

    def sample(self, images, source_rows, source_cols):
        """``images[b, source_rows[b], source_cols[b], c]`` interpolated, with fill."""
        order = 1 if self.interpolation == "bilinear" else 0
        fill = float(self.fill_value)  # a static argument of map_coordinates

        def one(image, rows, cols):
            def channel(plane):
                return jax.scipy.ndimage.map_coordinates(plane, [rows, cols], order=order, mode=self.fill_mode,
                                                         cval=fill)

            return jax.vmap(channel, in_axes=-1, out_axes=-1)(image)

        return jax.vmap(one)(images, source_rows, source_cols)

    def grid(self, images):
        """Output pixel coordinates relative to the image centre: (rows, cols)."""
        height, width = images.shape[1], images.shape[2]
        rows, cols = jnp.meshgrid(jnp.arange(height, dtype=images.dtype), jnp.arange(width, dtype=images.dtype),
                                  indexing="ij")
        return rows - (height - 1) / 2, cols - (width - 1) / 2, (height - 1) / 2, (width - 1) / 2

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "seed": self.seed, "data_format": self.data_format}

    def _fill_config(self):
        return {"fill_mode": self.fill_mode, "interpolation": self.interpolation, "fill_value": self.fill_value}
