"""``Average``: the elementwise mean of a list of inputs, and the function ``average``."""

import jax.numpy as jnp

from lamella.layers.merging.base_merge import Merge


class Average(Merge):
    """The elementwise mean of a list of inputs.

    ``output = (inputs[0] + ... + inputs[n-1]) / n``. Shapes broadcast from the right (an input of lower rank
    gets size-1 axes after its batch axis), as in Keras.

    Args:
        **kwargs: base layer arguments.

    Input shape:
        A list of one or more tensors of broadcast-compatible shapes.

    Output shape:
        The broadcast shape.

    Example:

    >>> Average()([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])]).tolist()
    [[2.0, 3.5]]
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = output + x
        return output / jnp.asarray(len(inputs), output.dtype)


def average(inputs, **kwargs):
    """The elementwise mean of ``inputs`` (a list of tensors), through a ``Average`` layer.

    Args:
        inputs: a list of tensors (symbolic or arrays) of compatible shapes.
        **kwargs: ``Average`` layer arguments.

    Returns:
        The the elementwise mean, a tensor.
    """
    return Average(**kwargs)(inputs)
