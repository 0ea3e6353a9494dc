"""``BaseLocallyConnected``: what LocallyConnected1D and LocallyConnected2D share."""

import itertools
import math

import jax.numpy as jnp

from lamella import activations, constraints, initializers, regularizers
from lamella.engine.input_spec import InputSpec
from lamella.engine.layer import Layer
from lamella.layers.utils import arguments, conv_shapes


class BaseLocallyConnected(Layer):
    """Like a convolution, but each output position has its own filters.

    Output position ``p`` is ``activation(patch_p @ kernel[p] + bias[p])``, where
    ``patch_p`` is the window of inputs it sees, flattened. The weights follow
    Keras 2's first implementation: a kernel of shape ``(output_positions,
    window_size * input_channels, filters)`` (positions in row-major order; a
    window flattened as ``(*window, channel)`` for ``channels_last`` and
    ``(channel, *window)`` for ``channels_first``) and a bias of shape
    ``(*output_spatial, filters)``.

    Args:
        rank: the number of spatial dimensions.
        filters, kernel_size, strides, padding, data_format, activation, use_bias,
        *_initializer, *_regularizer, *_constraint: as for convolutions.
        implementation: 1, 2 or 3, Keras 2's three ways of computing the same
            function; all use one formulation here (gathered windows, then one
            batched matrix product), the fastest in jax, and the same weight layout.
        **kwargs: base layer arguments.
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        implementation=1,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        cls = type(self).__name__
        self.rank = rank
        self.filters = arguments.positive_int(cls, "filters", filters)
        self.kernel_size = arguments.int_tuple(cls, "kernel_size", kernel_size, rank)
        self.strides = arguments.int_tuple(cls, "strides", strides, rank)
        self.padding = arguments.one_of(cls, "padding", padding, ("valid", "same"))
        self.data_format = arguments.data_format(cls, data_format)
        if implementation not in (1, 2, 3) or isinstance(implementation, bool):
            raise ValueError(
                f"{cls} expected implementation to be 1, 2 or 3. "
                f"Received: implementation={implementation!r}"
            )
        self.implementation = implementation
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)

    def _split(self, shape):
        shape = tuple(shape)
        if self.data_format == "channels_last":
            return shape[1:-1], shape[-1]
        return shape[2:], shape[1]

    def _output_spatial(self, spatial):
        sizes = tuple(
            conv_shapes.conv_output_length(length, k, self.padding, s)
            for length, k, s in zip(spatial, self.kernel_size, self.strides)
        )
        return sizes

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"Layer '{self.name}' expects inputs of rank {self.rank + 2}. "
                f"Received: input_shape={input_shape}"
            )
        sizes = self._output_spatial(self._split(input_shape)[0])
        conv_shapes.check_positive_output(self.name, input_shape, sizes)
        if self.data_format == "channels_last":
            return (input_shape[0], *sizes, self.filters)
        return (input_shape[0], self.filters, *sizes)

    def build(self, input_shape):
        spatial, channels = self._split(input_shape)
        if channels is None or any(d is None for d in spatial):
            raise ValueError(
                f"Layer '{self.name}' has one set of weights per output position, so it "
                "needs fully known spatial and channel sizes. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        self.compute_output_shape(input_shape)
        out = self._output_spatial(spatial)
        self.kernel = self.add_weight(
            name="kernel",
            shape=(math.prod(out), math.prod(self.kernel_size) * channels, self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(*out, self.filters),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        axis = -1 if self.data_format == "channels_last" else 1
        shape = [None] * (self.rank + 2)
        if self.data_format == "channels_last":
            shape[1:-1] = spatial
        else:
            shape[2:] = spatial
        self.input_spec = InputSpec(shape=shape, axes={axis: channels})
        self.built = True

    def _pad(self, inputs, spatial, out):
        if self.padding == "valid":
            return inputs
        # As a 'same' convolution pads: the extra element (if odd) goes after.
        pads = []
        for length, size, k, s in zip(spatial, out, self.kernel_size, self.strides):
            total = max((size - 1) * s + k - length, 0)
            pads.append((total // 2, total - total // 2))
        if self.data_format == "channels_last":
            return jnp.pad(inputs, [(0, 0), *pads, (0, 0)])
        return jnp.pad(inputs, [(0, 0), (0, 0), *pads])

    def _patches(self, inputs):
        """``(batch, positions, window * channels)`` in the kernel's feature order."""
        spatial, channels = self._split(inputs.shape)
        out = self._output_spatial(spatial)
        inputs = self._pad(inputs, spatial, out)
        first = 1 if self.data_format == "channels_last" else 2
        slices = []
        # One strided slice per offset within the window: k slices instead of one
        # gather per output position.
        for offset in itertools.product(*(range(k) for k in self.kernel_size)):
            index = [slice(None)] * inputs.ndim
            for d, (o, size, s) in enumerate(zip(offset, out, self.strides)):
                index[first + d] = slice(o, o + (size - 1) * s + 1, s)
            slices.append(inputs[tuple(index)])
        batch = inputs.shape[0]
        positions = math.prod(out)
        if self.data_format == "channels_last":
            # (batch, *out, window, channels): features ordered (window, channel).
            stacked = jnp.stack(slices, axis=-2)
            return stacked.reshape(batch, positions, -1), out
        # (batch, channels, window, *out): features ordered (channel, window).
        stacked = jnp.stack(slices, axis=2)
        stacked = stacked.reshape(batch, channels * len(slices), positions)
        return stacked.transpose(0, 2, 1), out

    def call(self, inputs):
        patches, out = self._patches(inputs)
        outputs = jnp.einsum("bpf,pfo->bpo", patches, self.kernel.value)
        outputs = outputs.reshape(inputs.shape[0], *out, self.filters)
        if self.bias is not None:
            outputs = outputs + self.bias.value
        if self.data_format == "channels_first":
            outputs = jnp.moveaxis(outputs, -1, 1)
        return self.activation(outputs)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "implementation": self.implementation,
            }
        )
        return config
