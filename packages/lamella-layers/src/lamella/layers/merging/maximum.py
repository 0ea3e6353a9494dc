"""``Maximum``: the elementwise maximum of a list of inputs, and the function ``maximum``."""

import jax.numpy as jnp

from lamella.layers.merging.base_merge import Merge


class Maximum(Merge):
    """The elementwise maximum of a list of inputs.

    ``output = max(inputs[0], inputs[1], ...)``, position by position. Shapes broadcast from the right (an input of lower rank
    gets size-1 axes after its batch axis), as in Keras.

    Args:
        **kwargs: base layer arguments.

    Input shape:
        A list of one or more tensors of broadcast-compatible shapes.

    Output shape:
        The broadcast shape.

    Example:

    >>> Maximum()([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])]).tolist()
    [[3.0, 5.0]]
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = jnp.maximum(output, x)
        return output


def maximum(inputs, **kwargs):
    """The elementwise maximum of ``inputs`` (a list of tensors), through a ``Maximum`` layer.

    Args:
        inputs: a list of tensors (symbolic or arrays) of compatible shapes.
        **kwargs: ``Maximum`` layer arguments.

    Returns:
        The the elementwise maximum, a tensor.
    """
    return Maximum(**kwargs)(inputs)
