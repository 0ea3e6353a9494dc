"""``Minimum``: the elementwise minimum of a list of inputs, and the function ``minimum``."""

import jax.numpy as jnp

from lamella.layers.merging.base_merge import Merge


class Minimum(Merge):
    """The elementwise minimum of a list of inputs.

    ``output = min(inputs[0], inputs[1], ...)``, position by position. Shapes broadcast from the right (an input of lower rank
    gets size-1 axes after its batch axis), as in Keras.

    Args:
        **kwargs: base layer arguments.

    Input shape:
        A list of one or more tensors of broadcast-compatible shapes.

    Output shape:
        The broadcast shape.

    Example:

    >>> Minimum()([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])]).tolist()
    [[1.0, 2.0]]
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = jnp.minimum(output, x)
        return output


def minimum(inputs, **kwargs):
    """The elementwise minimum of ``inputs`` (a list of tensors), through a ``Minimum`` layer.

    Args:
        inputs: a list of tensors (symbolic or arrays) of compatible shapes.
        **kwargs: ``Minimum`` layer arguments.

    Returns:
        The the elementwise minimum, a tensor.
    """
    return Minimum(**kwargs)(inputs)
