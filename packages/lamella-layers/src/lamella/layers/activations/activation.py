"""``Activation``: applies an activation function as a layer."""

from lamella import activations
from lamella.engine.layer import Layer


class Activation(Layer):
    """Applies ``activation`` to its input.

    Args:
        activation: an activation name (``'relu'``) or function.
        **kwargs: base layer arguments.

    Input shape:
        Any.

    Output shape:
        The input's (``glu`` halves the last axis).

    Example:

    >>> Activation("relu")(np.array([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        # Every registered activation keeps the shape except glu, which splits its
        # last axis in two halves (Keras 3.15 reports the input shape for it
        # symbolically, and a halved one when run).
        if self.activation is activations.glu:
            *batch, last = tuple(input_shape)
            return (*batch, None if last is None else last // 2)
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config
