"""Keras 2's backend tensors (``from keras import backend as K``): shapes,
reshaping, joining and slicing, and creating constants.

Keras 2 semantics are kept where they differ from numpy's: ``repeat`` adds an
axis (``(samples, dim) -> (samples, n, dim)``), ``batch_flatten`` keeps the first
axis, ``concatenate`` counts a negative axis from the first tensor's rank.
"""

import numpy as np
import jax
import jax.numpy as jnp

from lamella.backend.config import floatx
from lamella.backend.dtypes import standardize_dtype
from lamella.ops import core as _core
from lamella.ops.core import convert_to_tensor as _t

__all__ = [
    "arange", "batch_flatten", "cast", "cast_to_floatx", "concatenate", "constant",
    "dtype", "expand_dims", "flatten", "gather", "int_shape", "ndim", "one_hot",
    "ones_like", "permute_dimensions", "repeat", "repeat_elements", "reshape",
    "reverse", "shape", "slice", "squeeze", "stack", "stop_gradient", "switch", "tile",
    "transpose", "zeros_like",
]


def int_shape(x):
    """The shape as a tuple of ints (``None`` for the unknown batch size of a
    symbolic tensor)."""
    return tuple(x.shape)


def shape(x):
    """The shape. jax shapes are static, so this is ``int_shape``: use it in
    ``reshape`` and slices as Keras 2 code does with ``K.shape(x)[0]``."""
    return tuple(x.shape)


def ndim(x):
    return len(x.shape)


# lamella.ops has them with Keras 2's meaning: the dtype's name; a converted copy.
dtype, cast = _core.dtype, _core.cast


def cast_to_floatx(x):
    """A numpy array of ``floatx()`` (Keras 2 returned numpy here)."""
    return np.asarray(x, dtype=floatx())


def constant(value, dtype=None, shape=None, name=None):  # noqa: A002
    """A constant tensor; a scalar ``value`` is broadcast to ``shape``."""
    value = jnp.asarray(value, dtype=standardize_dtype(dtype or floatx()))
    return value if shape is None else jnp.broadcast_to(value, tuple(shape))


def zeros_like(x, dtype=None, name=None):  # noqa: A002
    return jnp.zeros_like(_t(x), dtype=dtype and standardize_dtype(dtype))


def ones_like(x, dtype=None, name=None):  # noqa: A002
    return jnp.ones_like(_t(x), dtype=dtype and standardize_dtype(dtype))


def arange(start, stop=None, step=1, dtype="int32"):  # noqa: A002
    """``[start, stop)`` by ``step``; with one argument, ``[0, start)``."""
    return jnp.arange(start, stop, step, dtype=standardize_dtype(dtype))


def reshape(x, shape):
    return jnp.reshape(_t(x), tuple(shape))


def permute_dimensions(x, pattern):
    return jnp.transpose(_t(x), tuple(pattern))


def transpose(x):
    """All axes reversed (a matrix transposed)."""
    return jnp.transpose(_t(x))


def flatten(x):
    """One axis holding every value."""
    return jnp.reshape(_t(x), (-1,))


def batch_flatten(x):
    """``(batch, ...)`` to ``(batch, prod(...))``."""
    x = _t(x)
    return jnp.reshape(x, (x.shape[0], -1))


def expand_dims(x, axis=-1):
    return jnp.expand_dims(_t(x), axis)


def squeeze(x, axis):
    return jnp.squeeze(_t(x), axis)


def repeat(x, n):
    """A 2D ``(samples, dim)`` tensor repeated ``n`` times on a new axis 1:
    ``(samples, n, dim)`` (what ``RepeatVector`` does)."""
    x = _t(x)
    if x.ndim != 2:
        raise ValueError(f"repeat expected a 2D tensor (samples, dim). Received shape {x.shape}.")
    return jnp.repeat(x[:, None, :], n, axis=1)


def repeat_elements(x, rep, axis):
    """Each slice along ``axis`` repeated ``rep`` times (``np.repeat``)."""
    return jnp.repeat(_t(x), rep, axis=axis)


def tile(x, n):
    return jnp.tile(_t(x), n if isinstance(n, int) else tuple(n))


def concatenate(tensors, axis=-1):
    """Joined along ``axis``; a negative axis counts from the first tensor's rank."""
    tensors = [_t(t) for t in tensors]
    if axis < 0:
        axis = axis % tensors[0].ndim if tensors[0].ndim else 0
    return jnp.concatenate(tensors, axis=axis)


def stack(x, axis=0):
    return jnp.stack([_t(t) for t in x], axis=axis)


def gather(reference, indices):
    """The rows of ``reference`` at ``indices`` (axis 0)."""
    return jnp.take(_t(reference), _t(indices), axis=0)


def one_hot(indices, num_classes):
    """Integer ``indices`` of shape ``(...)`` to ``(..., num_classes)`` one-hot floats."""
    return jax.nn.one_hot(_t(indices), num_classes, dtype=floatx())


def reverse(x, axes):
    """``x`` reversed along ``axes`` (an int or a list of ints)."""
    return jnp.flip(_t(x), axis=(axes,) if isinstance(axes, int) else tuple(axes))


def slice(x, start, size):  # noqa: A001
    """The block of ``size`` starting at ``start`` (one entry per axis)."""
    return jax.lax.dynamic_slice(_t(x), tuple(start), tuple(size))


def switch(condition, then_expression, else_expression):
    """``then_expression`` where ``condition`` holds, else ``else_expression``;
    either may be a function of no arguments (called, as in Keras 2). A scalar
    condition chooses a whole branch."""
    then_value = then_expression() if callable(then_expression) else then_expression
    else_value = else_expression() if callable(else_expression) else else_expression
    condition = _t(condition)
    if condition.dtype != jnp.bool_:
        condition = condition.astype(bool)
    then_value, else_value = _t(then_value), _t(else_value)
    while condition.ndim and condition.ndim < then_value.ndim:
        condition = condition[..., None]
    return jnp.where(condition, then_value, else_value)


def stop_gradient(variables):
    """The value with no gradient flowing back (a list gives a list)."""
    if isinstance(variables, list | tuple):
        return [_core.stop_gradient(v) for v in variables]
    return _core.stop_gradient(variables)
