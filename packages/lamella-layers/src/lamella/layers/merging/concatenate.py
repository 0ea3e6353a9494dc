"""``Concatenate``: joins a list of inputs along one axis, and ``concatenate``."""

import numbers

import jax.numpy as jnp

from lamella.engine.layer import Layer
from lamella.layers.merging.base_merge import check_list_of_shapes


class Concatenate(Layer):
    """Concatenates a list of inputs along ``axis``.

    Every input must have the same rank and the same sizes on every other axis.

    Args:
        axis: the axis to join along (default -1, the last).
        **kwargs: base layer arguments.

    Input shape:
        A list of tensors of equal shapes except along ``axis``.

    Output shape:
        The common shape, with the sum of the sizes along ``axis``.

    Example:

    >>> Concatenate()([np.zeros((2, 3)), np.ones((2, 4))]).shape
    (2, 7)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise ValueError(f"Concatenate expected an integer axis. Received: axis={axis!r}")
        self.axis = int(axis)
        self.supports_masking = True

    def _positive_axis(self, rank, shapes):
        axis = self.axis + rank if self.axis < 0 else self.axis
        if not 0 <= axis < rank:
            raise ValueError(
                f"Layer '{self.name}' (Concatenate): axis={self.axis} is out of range for "
                f"inputs of rank {rank}. Received shapes {shapes}"
            )
        return axis

    def compute_output_shape(self, input_shape):
        check_list_of_shapes(self, input_shape)
        shapes = [tuple(s) for s in input_shape]
        rank = len(shapes[0])
        axis = self._positive_axis(rank, shapes)
        mismatch = ValueError(
            f"Layer '{self.name}': a Concatenate layer requires inputs with matching "
            f"shapes except for the concatenation axis {self.axis}. Received: "
            f"input_shape={shapes}"
        )
        if any(len(s) != rank for s in shapes):
            raise mismatch
        output = list(shapes[0])
        for shape in shapes[1:]:
            for i, size in enumerate(shape):
                if i == axis:
                    continue
                if output[i] is None:
                    output[i] = size
                elif size is not None and size != output[i]:
                    raise mismatch
        sizes = [s[axis] for s in shapes]
        output[axis] = None if any(d is None for d in sizes) else sum(sizes)
        return tuple(output)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)
        self.built = True

    def call(self, inputs):
        self.compute_output_shape([tuple(x.shape) for x in inputs])
        return jnp.concatenate(inputs, axis=self.axis)

    def compute_mask(self, inputs, mask=None):
        """The inputs' masks joined like the inputs (an input without a mask counts
        as unmasked); the result masks a position when all its features are masked."""
        if mask is None or all(m is None for m in mask):
            return None
        full = []
        for x, m in zip(inputs, mask):
            if m is None:
                m = jnp.ones(x.shape, bool)
            m = jnp.asarray(m, bool)
            if m.ndim < x.ndim:
                m = jnp.broadcast_to(m[..., None], x.shape)
            full.append(m)
        return jnp.any(jnp.concatenate(full, axis=self.axis), axis=-1)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


def concatenate(inputs, axis=-1, **kwargs):
    """``inputs`` (a list of tensors) joined along ``axis`` by a ``Concatenate`` layer.

    Args:
        inputs: a list of tensors of equal shapes except along ``axis``.
        axis: the axis to join along.
        **kwargs: ``Concatenate`` layer arguments.

    Returns:
        The concatenation, a tensor.
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
