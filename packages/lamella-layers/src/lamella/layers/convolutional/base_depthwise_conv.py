"""``BaseDepthwiseConv``: what DepthwiseConv1D and DepthwiseConv2D share."""

from lamella import activations, constraints, initializers, regularizers
from lamella.engine.input_spec import InputSpec
from lamella.layers.convolutional.base_conv import BaseConv, add_channel_bias
from lamella.layers.utils import arguments


class BaseDepthwiseConv(BaseConv):
    """A depthwise N-D convolution: each input channel is convolved with its own
    ``depth_multiplier`` filters, and the results are stacked.

    The depthwise kernel has shape ``(*kernel_size, input_channels,
    depth_multiplier)``; output channel ``c * depth_multiplier + m`` is input
    channel ``c`` convolved with filter ``m`` of that channel. It is a grouped
    convolution with one group per input channel.

    Args:
        rank: the number of spatial dimensions.
        depth_multiplier: the number of filters per input channel (default 1).
        kernel_size, strides, padding, data_format, dilation_rate, activation,
        use_bias: as in ``BaseConv``.
        depthwise_initializer: initializer of the depthwise kernel.
        bias_initializer: initializer of the bias (``input_channels *
            depth_multiplier`` values).
        depthwise_regularizer, bias_regularizer, activity_regularizer: regularizers.
        depthwise_constraint, bias_constraint: constraints.
        **kwargs: base layer arguments.
    """

    def __init__(
        self,
        rank,
        depth_multiplier=1,
        kernel_size=None,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        cls = type(self).__name__
        self.depth_multiplier = arguments.positive_int(cls, "depth_multiplier", depth_multiplier)
        arguments.one_of(cls, "padding", padding, ("valid", "same"))
        super().__init__(
            rank=rank, filters=None, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            use_bias=use_bias, bias_initializer=bias_initializer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            bias_constraint=bias_constraint, **kwargs,
        )
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    def _output_channels(self, input_shape):
        channels = tuple(input_shape)[self._channel_axis()]
        return None if channels is None else channels * self.depth_multiplier

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.compute_output_shape(input_shape)
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel",
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self.bias = self._add_bias(channels * self.depth_multiplier)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis(): channels})
        self.built = True

    def depthwise(self, inputs, kernel):
        """``inputs`` convolved channel by channel with ``kernel`` (``(*k, in, m)``)."""
        channels = kernel.shape[-2]
        grouped = kernel.reshape(*kernel.shape[:-2], 1, channels * kernel.shape[-1])
        return self.convolve(inputs, grouped, channels)

    def call(self, inputs):
        outputs = self.depthwise(inputs, self.depthwise_kernel.value)
        if self.bias is not None:
            outputs = add_channel_bias(outputs, self.bias.value, self.data_format)
        return self.activation(outputs)

    def get_config(self):
        config = super().get_config()
        for key in ("filters", "groups", "kernel_initializer", "kernel_regularizer", "kernel_constraint"):
            del config[key]
        config.update(
            {
                "depth_multiplier": self.depth_multiplier,
                "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
                "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
                "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            }
        )
        return config
