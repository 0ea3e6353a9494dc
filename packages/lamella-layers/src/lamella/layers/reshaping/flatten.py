"""``Flatten``: collapses every axis but the batch axis into one."""

import math

from lamella.backend import standardize_data_format
from lamella.engine.input_spec import InputSpec
from lamella.engine.layer import Layer


class Flatten(Layer):
    """Reshapes ``(batch, d1, d2, ...)`` to ``(batch, d1 * d2 * ...)``.

    Args:
        data_format: ``'channels_last'`` or ``'channels_first'``. With
            ``channels_first`` the channel axis is moved last before flattening, so
            that a model's weights give the same results in both formats (the
            ``Flatten`` after a convolution sees features in the same order).
        **kwargs: base layer arguments.

    Input shape:
        ``(batch_size, ...)``, at least one axis after the batch.

    Output shape:
        ``(batch_size, product of the other axes)``.

    Example:

    >>> Flatten()(np.zeros((2, 3, 4))).shape
    (2, 12)
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)
        self.built = True

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = inputs.transpose(0, *range(2, inputs.ndim), 1)
        return inputs.reshape(inputs.shape[0], -1)

    def compute_output_shape(self, input_shape):
        rest = tuple(input_shape)[1:]
        size = None if any(d is None for d in rest) else math.prod(rest)
        return (input_shape[0], size)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
