"""``BaseConv``: what Conv1D, Conv2D and Conv3D share."""

import jax
import jax.numpy as jnp

from lamella import activations, constraints, initializers, regularizers
from lamella.engine.input_spec import InputSpec
from lamella.engine.layer import Layer
from lamella.layers.utils import arguments, conv_shapes


def spatial_dimension_numbers(rank, data_format):
    """``lax`` dimension numbers for inputs/outputs of ``data_format`` and kernels laid
    out ``(*spatial, in, out)``, as Keras stores them."""
    spatial = "DHW"[-rank:] if rank <= 3 else None
    if data_format == "channels_last":
        layout = f"N{spatial}C"
    else:
        layout = f"NC{spatial}"
    return jax.lax.conv_dimension_numbers(
        (1,) * (rank + 2), (1,) * (rank + 2), (layout, f"{spatial}IO", layout)
    )


def subsample(inputs, strides, data_format):
    """Every ``strides``-th position of ``inputs`` along its spatial axes."""
    spatial = tuple(strides)
    steps = (1, *spatial, 1) if data_format == "channels_last" else (1, 1, *spatial)
    return jax.lax.slice(inputs, (0,) * inputs.ndim, inputs.shape, steps)


def channel_product(inputs, weights, data_format):
    """``inputs`` times the ``(in, out)`` matrix ``weights`` along the channel axis."""
    if data_format == "channels_last":
        # As one (positions, in) x (in, out) product: from the N-D form, XLA:CPU
        # computes the weights' gradient by writing the activations out transposed.
        rows = inputs.reshape(-1, inputs.shape[-1])
        return jnp.dot(rows, weights).reshape(*inputs.shape[:-1], weights.shape[-1])
    outputs = jax.lax.dot_general(weights, inputs, (((0,), (1,)), ((), ())))
    return jnp.moveaxis(outputs, 0, 1)


def add_channel_bias(outputs, bias, data_format):
    """``outputs + bias`` along the channel axis of ``data_format``."""
    if data_format == "channels_first":
        return outputs + bias.reshape((1, -1) + (1,) * (outputs.ndim - 2))
    return outputs + bias


class BaseConv(Layer):
    """An N-D convolution: ``activation(conv(inputs, kernel) + bias)``.

    The kernel has shape ``(*kernel_size, input_channels // groups, filters)``. Each
    output position is the sum over a window of ``kernel_size`` input positions
    (spaced by ``dilation_rate``, windows ``strides`` apart) times the kernel; with
    ``groups > 1`` the channels are split into ``groups`` independent convolutions
    whose outputs are concatenated.

    Args:
        rank: the number of spatial dimensions (1, 2 or 3).
        filters: the number of output channels, a positive integer.
        kernel_size: the window size, an int or a tuple of ``rank`` ints.
        strides: the window steps, an int or a tuple of ``rank`` ints (default 1).
        padding: ``'valid'`` (no padding), ``'same'`` (zero padding so the output
            has ``ceil(input / stride)`` positions) or, for ``rank == 1``,
            ``'causal'`` (zero padding on the left only: output ``t`` sees inputs up
            to ``t``).
        data_format: ``'channels_last'`` (``(batch, *spatial, channels)``) or
            ``'channels_first'`` (``(batch, channels, *spatial)``); default
            ``image_data_format()``.
        dilation_rate: the spacing of the window's taps, an int or a tuple.
        groups: the number of channel groups; divides both the input channels and
            ``filters``.
        activation: an activation name or function (default linear).
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers (``'glorot_uniform'``,
            ``'zeros'``).
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints.
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
        dilation_rate=1,
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        cls = type(self).__name__
        self.rank = rank
        # Depthwise convolutions have no filters: their outputs follow the inputs.
        self.filters = None if filters is None else arguments.positive_int(cls, "filters", filters)
        self.groups = arguments.positive_int(cls, "groups", groups)
        if self.filters is not None and self.filters % self.groups:
            raise ValueError(
                f"{cls} expected filters to be a multiple of groups. Received: "
                f"filters={filters}, groups={groups}"
            )
        self.kernel_size = arguments.int_tuple(cls, "kernel_size", kernel_size, rank)
        self.strides = arguments.int_tuple(cls, "strides", strides, rank)
        self.dilation_rate = arguments.int_tuple(cls, "dilation_rate", dilation_rate, rank)
        paddings = ("valid", "same", "causal") if rank == 1 else ("valid", "same")
        self.padding = arguments.one_of(cls, "padding", padding, paddings)
        self.data_format = arguments.data_format(cls, data_format)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)

    # -- shapes ----------------------------------------------------------------------

    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def _spatial(self, shape):
        shape = tuple(shape)
        return shape[1:-1] if self.data_format == "channels_last" else shape[2:]

    def _with_spatial(self, batch, spatial, channels):
        if self.data_format == "channels_last":
            return (batch, *spatial, channels)
        return (batch, channels, *spatial)

    def _input_channels(self, input_shape):
        channels = tuple(input_shape)[self._channel_axis()]
        if channels is None:
            raise ValueError(
                f"Layer '{self.name}' needs a known channel axis to create its kernel. "
                f"Received: input_shape={tuple(input_shape)} (data_format="
                f"{self.data_format!r})"
            )
        return channels

    def _output_channels(self, input_shape):
        return self.filters

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"Layer '{self.name}' expects inputs of rank {self.rank + 2}. "
                f"Received: input_shape={input_shape}"
            )
        spatial = tuple(
            conv_shapes.conv_output_length(length, k, self.padding, s, d)
            for length, k, s, d in zip(
                self._spatial(input_shape), self.kernel_size, self.strides, self.dilation_rate
            )
        )
        conv_shapes.check_positive_output(self.name, input_shape, spatial)
        return self._with_spatial(input_shape[0], spatial, self._output_channels(input_shape))

    # -- weights ---------------------------------------------------------------------

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        if channels % self.groups:
            raise ValueError(
                f"Layer '{self.name}': the number of input channels must be a multiple "
                f"of groups={self.groups}. Received: input_shape={tuple(input_shape)}"
            )
        self.compute_output_shape(input_shape)
        self.kernel = self.add_weight(
            name="kernel",
            shape=(*self.kernel_size, channels // self.groups, self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = self._add_bias(self.filters)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis(): channels})
        self.built = True

    def _add_bias(self, size):
        if not self.use_bias:
            return None
        return self.add_weight(
            name="bias",
            shape=(size,),
            initializer=self.bias_initializer,
            regularizer=self.bias_regularizer,
            constraint=self.bias_constraint,
        )

    # -- computing -------------------------------------------------------------------

    def _lax_padding(self):
        if self.padding == "causal":
            # Left padding only, by the dilated window minus one.
            return [((self.kernel_size[0] - 1) * self.dilation_rate[0], 0)]
        return self.padding.upper()

    def convolve(self, inputs, kernel, groups):
        """``inputs`` convolved with ``kernel`` (``(*spatial, in/groups, out)``)."""
        strides, padding = self.strides, self._lax_padding()
        if all(size == 1 for size in self.kernel_size):
            # A 1x1 window strided by s reads every s-th position, and no padding
            # mode pads a 1x1 window, so it is a product over the channels of those
            # positions. Written as a convolution, its kernel's gradient is a
            # convolution with an image-sized window, which XLA:CPU runs by
            # transposing the activations (ResNet50's batch-8 training step:
            # 1.54 s -> 0.86 s).
            if any(s > 1 for s in strides):
                inputs = subsample(inputs, strides, self.data_format)
            if groups == 1:
                return channel_product(inputs, kernel.reshape(kernel.shape[-2:]), self.data_format)
            strides, padding = (1,) * self.rank, "VALID"
        return jax.lax.conv_general_dilated(
            inputs,
            kernel,
            window_strides=strides,
            padding=padding,
            rhs_dilation=self.dilation_rate,
            dimension_numbers=spatial_dimension_numbers(self.rank, self.data_format),
            feature_group_count=groups,
        )

    def call(self, inputs):
        outputs = self.convolve(inputs, self.kernel.value, self.groups)
        if self.bias is not None:
            outputs = add_channel_bias(outputs, self.bias.value, self.data_format)
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
                "dilation_rate": self.dilation_rate,
                "groups": self.groups,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
            }
        )
        return config
