"""``BaseConvTranspose``: what Conv1DTranspose, Conv2DTranspose and Conv3DTranspose
share."""

import jax

from lamella import activations, constraints, initializers, regularizers
from lamella.engine.input_spec import InputSpec
from lamella.layers.convolutional.base_conv import (
    BaseConv,
    add_channel_bias,
    spatial_dimension_numbers,
)
from lamella.layers.utils import arguments, conv_shapes


class BaseConvTranspose(BaseConv):
    """A transposed N-D convolution (sometimes called deconvolution).

    It computes the gradient of a convolution with respect to its input: each input
    position scatters ``kernel`` times its value into a window of the output, windows
    ``strides`` apart, so a stride-2 transposed convolution doubles the spatial size.
    The kernel has shape ``(*kernel_size, filters, input_channels)``, as in Keras.

    Args:
        rank: the number of spatial dimensions.
        filters: the number of output channels.
        kernel_size: an int or a tuple of ``rank`` ints.
        strides: an int or a tuple of ``rank`` ints.
        padding: ``'valid'`` or ``'same'`` (output size ``input * stride``).
        output_padding: an int or a tuple of ``rank`` ints, each smaller than the
            stride: extra rows/columns on the far side of the output, to choose
            among the output sizes that a strided convolution maps to the same
            input size. ``None`` (the default) infers it.
        data_format, dilation_rate, activation, use_bias, *_initializer,
        *_regularizer, *_constraint: as in ``BaseConv``.
        **kwargs: base layer arguments.
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=1,
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
        cls = type(self).__name__
        arguments.one_of(cls, "padding", padding, ("valid", "same"))
        super().__init__(
            rank=rank, filters=filters, kernel_size=kernel_size, strides=strides,
            padding=padding, data_format=data_format, dilation_rate=dilation_rate,
            activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs,
        )
        if output_padding is None:
            self.output_padding = None
        else:
            self.output_padding = arguments.int_tuple(
                cls, "output_padding", output_padding, rank, allow_zero=True
            )
            for pad, stride in zip(self.output_padding, self.strides):
                if pad >= stride:
                    raise ValueError(
                        f"{cls} expected each output_padding to be smaller than its "
                        f"stride. Received: output_padding={output_padding!r}, "
                        f"strides={self.strides}"
                    )

    def _output_paddings(self):
        return self.output_padding or (None,) * self.rank

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"Layer '{self.name}' expects inputs of rank {self.rank + 2}. "
                f"Received: input_shape={input_shape}"
            )
        spatial = tuple(
            conv_shapes.deconv_output_length(length, k, self.padding, s, d, p)
            for length, k, s, d, p in zip(
                self._spatial(input_shape), self.kernel_size, self.strides,
                self.dilation_rate, self._output_paddings(),
            )
        )
        conv_shapes.check_positive_output(self.name, input_shape, spatial)
        return self._with_spatial(input_shape[0], spatial, self.filters)

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.compute_output_shape(input_shape)
        self.kernel = self.add_weight(
            name="kernel",
            shape=(*self.kernel_size, self.filters, channels),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = self._add_bias(self.filters)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis(): channels})
        self.built = True

    def call(self, inputs):
        padding = [
            conv_shapes.deconv_padding(k, self.padding, s, d, p)
            for k, s, d, p in zip(
                self.kernel_size, self.strides, self.dilation_rate, self._output_paddings()
            )
        ]
        # transpose_kernel: the stored kernel is (..., filters, in), i.e. the kernel
        # of the forward convolution this layer transposes; lax flips it spatially
        # and swaps its channel axes.
        outputs = jax.lax.conv_transpose(
            inputs,
            self.kernel.value,
            strides=self.strides,
            padding=padding,
            rhs_dilation=self.dilation_rate,
            dimension_numbers=spatial_dimension_numbers(self.rank, self.data_format),
            transpose_kernel=True,
        )
        if self.bias is not None:
            outputs = add_channel_bias(outputs, self.bias.value, self.data_format)
        return self.activation(outputs)

    def get_config(self):
        config = super().get_config()
        del config["groups"]
        config["output_padding"] = self.output_padding
        return config
