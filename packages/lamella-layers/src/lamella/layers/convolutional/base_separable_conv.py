"""``BaseSeparableConv``: what SeparableConv1D and SeparableConv2D share."""

from lamella import constraints, initializers, regularizers
from lamella.engine.input_spec import InputSpec
from lamella.layers.convolutional.base_conv import add_channel_bias, channel_product
from lamella.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv
from lamella.layers.utils import arguments


class BaseSeparableConv(BaseDepthwiseConv):
    """A depthwise separable N-D convolution: a depthwise convolution (each input
    channel filtered on its own, ``depth_multiplier`` times) followed by a pointwise
    one (a 1x1 convolution mixing the channels into ``filters`` outputs).

    It has ``k * c * m + c * m * filters`` kernel weights instead of a convolution's
    ``k * c * filters``. The depthwise kernel has shape ``(*kernel_size,
    input_channels, depth_multiplier)``, the pointwise kernel ``(1, ..., 1,
    input_channels * depth_multiplier, filters)``; the bias (``filters`` values) and
    the activation follow the pointwise step.

    Args:
        rank: the number of spatial dimensions.
        depth_multiplier: depthwise filters per input channel (default 1).
        filters: the number of output channels.
        kernel_size, strides, padding, data_format, dilation_rate, activation,
        use_bias: as in ``BaseConv`` (strides and dilation apply to the depthwise
            step).
        depthwise_initializer, pointwise_initializer, bias_initializer: initializers.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer,
        activity_regularizer: regularizers.
        depthwise_constraint, pointwise_constraint, bias_constraint: constraints.
        **kwargs: base layer arguments.
    """

    def __init__(
        self,
        rank,
        depth_multiplier=1,
        filters=None,
        kernel_size=None,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            rank=rank, depth_multiplier=depth_multiplier, kernel_size=kernel_size,
            strides=strides, padding=padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            depthwise_initializer=depthwise_initializer, bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint, bias_constraint=bias_constraint,
            **kwargs,
        )
        self.filters = arguments.positive_int(type(self).__name__, "filters", filters)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def _output_channels(self, input_shape):
        return self.filters

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
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(*(1,) * self.rank, channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
        )
        self.bias = self._add_bias(self.filters)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis(): channels})
        self.built = True

    def call(self, inputs):
        outputs = self.depthwise(inputs, self.depthwise_kernel.value)
        pointwise = self.pointwise_kernel.value
        outputs = channel_product(outputs, pointwise.reshape(pointwise.shape[-2:]), self.data_format)
        if self.bias is not None:
            outputs = add_channel_bias(outputs, self.bias.value, self.data_format)
        return self.activation(outputs)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
                "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
                "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
            }
        )
        return config
