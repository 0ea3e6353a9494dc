"""``Multiply``: the elementwise product of a list of inputs, and the function ``multiply``."""

from lamella.layers.merging.base_merge import Merge


class Multiply(Merge):
    """The elementwise product of a list of inputs.

    ``output = inputs[0] * inputs[1] * ...``. Shapes broadcast from the right (an input of lower rank
    gets size-1 axes after its batch axis), as in Keras.

    Args:
        **kwargs: base layer arguments.

    Input shape:
        A list of one or more tensors of broadcast-compatible shapes.

    Output shape:
        The broadcast shape.

    Example:

    >>> Multiply()([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])]).tolist()
    [[3.0, 10.0]]
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = output * x
        return output


def multiply(inputs, **kwargs):
    """The elementwise product of ``inputs`` (a list of tensors), through a ``Multiply`` layer.

    Args:
        inputs: a list of tensors (symbolic or arrays) of compatible shapes.
        **kwargs: ``Multiply`` layer arguments.

    Returns:
        The the elementwise product, a tensor.
    """
    return Multiply(**kwargs)(inputs)
