"""``Dot``: the dot product of two inputs along given axes, and ``dot``."""

import numbers

import jax
import jax.numpy as jnp

from lamella.engine.layer import Layer
from lamella.layers.merging.base_merge import check_list_of_shapes


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


class Dot(Layer):
    """The dot product of samples of two tensors, summing over ``axes``.

    For inputs ``x`` of shape ``(batch, *a)`` and ``y`` of shape ``(batch, *b)``,
    sample ``i`` of the output is ``x[i]`` and ``y[i]`` contracted along
    ``axes[0]`` of ``x`` and ``axes[1]`` of ``y`` (a batch matrix product): the
    output has ``x``'s remaining axes, then ``y``'s. A result with no axis besides
    the batch is returned as ``(batch, 1)``. With ``normalize``, both inputs are
    L2-normalized along their contracted axis first, so the result of 1D samples is
    their cosine similarity.

    Args:
        axes: an int (the same axis of both) or a pair of ints; axis 0 is the batch.
        normalize: whether to L2-normalize along the axes before the product.
        **kwargs: base layer arguments.

    Input shape:
        A list of two tensors with equal batch sizes and equal sizes along the axes.

    Output shape:
        ``(batch, *x_rest, *y_rest)``, or ``(batch, 1)``.

    Example:

    >>> Dot(axes=1)([np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]])]).tolist()
    [[11.0]]
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if _is_int(axes):
            axes = int(axes)
        elif (
            isinstance(axes, list | tuple)
            and len(axes) == 2
            and all(_is_int(a) for a in axes)
        ):
            axes = tuple(int(a) for a in axes)
        else:
            raise ValueError(
                "Dot expected axes to be an integer or a pair of integers. "
                f"Received: axes={axes!r}"
            )
        self.axes = axes
        self.normalize = bool(normalize)
        self.supports_masking = True

    def _resolved_axes(self, shape1, shape2):
        axes = (self.axes, self.axes) if _is_int(self.axes) else self.axes
        resolved = []
        for axis, shape in zip(axes, (shape1, shape2)):
            positive = axis + len(shape) if axis < 0 else axis
            if not 0 < positive < len(shape):
                raise ValueError(
                    f"Layer '{self.name}' (Dot): axes={self.axes} is out of range for "
                    f"inputs of shapes {shape1} and {shape2} (axis 0 is the batch)."
                )
            resolved.append(positive)
        return tuple(resolved)

    def compute_output_shape(self, input_shape):
        check_list_of_shapes(self, input_shape, exactly=2)
        shape1, shape2 = (tuple(s) for s in input_shape)
        a1, a2 = self._resolved_axes(shape1, shape2)
        if shape1[a1] is not None and shape2[a2] is not None and shape1[a1] != shape2[a2]:
            raise ValueError(
                f"Layer '{self.name}' (Dot): incompatible input shapes: axis values "
                f"{shape1[a1]} (at axis {a1}) != {shape2[a2]} (at axis {a2}). Full input "
                f"shapes: {shape1}, {shape2}"
            )
        if None not in (shape1[0], shape2[0]) and shape1[0] != shape2[0]:
            raise ValueError(
                f"Layer '{self.name}' (Dot): the inputs have different batch sizes. "
                f"Full input shapes: {shape1}, {shape2}"
            )
        rest1 = [d for i, d in enumerate(shape1) if i not in (0, a1)]
        rest2 = [d for i, d in enumerate(shape2) if i not in (0, a2)]
        batch = shape1[0] if shape1[0] is not None else shape2[0]
        output = (batch, *rest1, *rest2)
        return output if len(output) > 1 else (batch, 1)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)
        self.built = True

    def call(self, inputs):
        x, y = inputs
        self.compute_output_shape([tuple(x.shape), tuple(y.shape)])
        a1, a2 = self._resolved_axes(x.shape, y.shape)
        if self.normalize:
            x = _l2_normalize(x, a1)
            y = _l2_normalize(y, a2)
        output = jax.lax.dot_general(x, y, (((a1,), (a2,)), ((0,), (0,))))
        return output[:, None] if output.ndim == 1 else output

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        config = super().get_config()
        config.update({"axes": self.axes, "normalize": self.normalize})
        return config


def _l2_normalize(x, axis):
    # The 1e-12 floor on the squared norm keeps zero vectors at zero, as Keras does.
    square_sum = jnp.sum(jnp.square(x), axis=axis, keepdims=True)
    return x * jax.lax.rsqrt(jnp.maximum(square_sum, jnp.asarray(1e-12, x.dtype)))


def dot(inputs, axes, normalize=False, **kwargs):
    """The dot product of two tensors along ``axes``, through a ``Dot`` layer.

    Args:
        inputs: a list of two tensors.
        axes: an int or a pair of ints.
        normalize: whether to L2-normalize along the axes first.
        **kwargs: ``Dot`` layer arguments.

    Returns:
        The product, a tensor.
    """
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
