"""``Subtract``: the elementwise difference of a list of inputs, and the function ``subtract``."""

from lamella.layers.merging.base_merge import Merge


class Subtract(Merge):
    """The elementwise difference of a list of inputs of exactly two.

    ``output = inputs[0] - inputs[1]``. Shapes broadcast from the right (an input of lower rank
    gets size-1 axes after its batch axis), as in Keras.

    Args:
        **kwargs: base layer arguments.

    Input shape:
        A list of two tensors of broadcast-compatible shapes.

    Output shape:
        The broadcast shape.

    Example:

    >>> Subtract()([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])]).tolist()
    [[-2.0, 3.0]]
    """

    num_inputs = 2

    def _merge_function(self, inputs):
        return inputs[0] - inputs[1]


def subtract(inputs, **kwargs):
    """The elementwise difference of ``inputs`` (a list of tensors), through a ``Subtract`` layer.

    Args:
        inputs: a list of tensors (symbolic or arrays) of compatible shapes.
        **kwargs: ``Subtract`` layer arguments.

    Returns:
        The the elementwise difference, a tensor.
    """
    return Subtract(**kwargs)(inputs)
