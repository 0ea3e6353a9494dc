"""``ActivityRegularization``: adds an L1/L2 penalty on its input to the loss."""

from lamella import regularizers
from lamella.engine.layer import Layer
from lamella.layers.utils import arguments


class ActivityRegularization(Layer):
    """Passes its input through and adds ``l1 * sum(|x|) + l2 * sum(x ** 2)``,
    averaged over the batch, to the training loss.

    Args:
        l1: the L1 factor (default 0).
        l2: the L2 factor (default 0).
        **kwargs: base layer arguments.

    Input shape:
        Any.

    Output shape:
        The input's.

    Example:

    >>> layer = ActivityRegularization(l1=0.5)
    >>> _ = layer(np.array([[1.0, -3.0]]))
    >>> [float(loss) for loss in layer.losses]
    [2.0]
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        l1 = arguments.non_negative_number("ActivityRegularization", "l1", l1)
        l2 = arguments.non_negative_number("ActivityRegularization", "l2", l2)
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1, self.l2 = l1, l2
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"l1": self.l1, "l2": self.l2})
        return config
