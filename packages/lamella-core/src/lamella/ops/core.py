"""The tensor protocol: what lamella accepts as a tensor, and the basic conversions.

Public functions accept jax arrays, numpy arrays, Python scalars and (nested) lists,
lamella ``Variable``s, DLPack producers (``__dlpack__``: torch, cupy, ...) and any
object with ``__array__`` or ``__jax_array__``; they return ``jax.Array``.

Float64 input becomes ``floatx()`` unless a dtype is asked for: jax runs in 32-bit
mode by default and would otherwise truncate with no word, or worse, a user enabling
x64 for another library would silently get twice the memory and half the speed.
"""

import jax
import jax.numpy as jnp
import numpy as np

from lamella.backend import config
from lamella.backend.dtypes import standardize_dtype
from lamella.engine.symbolic_tensor import SymbolicTensor
from lamella.engine.variable import Variable

__all__ = ["cast", "cond", "convert_to_numpy", "convert_to_tensor", "dtype", "fori_loop", "is_tensor", "scan", "shape", "slice", "slice_update", "stop_gradient", "unstack", "vectorized_map", "while_loop"]


def is_tensor(x):
    """True for the arrays lamella computes with (``jax.Array``, including tracers)."""
    return isinstance(x, jax.Array)


def convert_to_tensor(x, dtype=None, sparse=None):
    """Converts ``x`` to a ``jax.Array``, optionally cast to ``dtype``.

    Args:
        x: an array-like (see the module docstring).
        dtype: the dtype wanted, or ``None`` to keep the input's (float64 becomes
            ``floatx()``, Python floats too).
        sparse: accepted for Keras compatibility; jax arrays are always dense, so
            ``True`` is rejected.
    """
    if sparse:
        raise ValueError(
            "lamella tensors are dense; sparse tensors are not supported by the jax "
            f"backend. Received: sparse={sparse!r}"
        )
    if dtype is not None:
        dtype = standardize_dtype(dtype)
    if isinstance(x, Variable):
        x = x.value
    elif isinstance(x, SymbolicTensor):
        raise TypeError(
            f"A symbolic tensor ({x!r}) cannot be converted to an array: it only has "
            "a shape and a dtype. Symbolic tensors are the inputs and outputs of "
            "functional models; call layers on them, or call the model on real data."
        )
    if isinstance(x, jax.Array):
        if dtype is not None and x.dtype != dtype:
            return x.astype(dtype)
        return x
    if not isinstance(x, np.ndarray) and hasattr(x, "__dlpack__") and hasattr(
        x, "__dlpack_device__"
    ):
        array = jax.dlpack.from_dlpack(x)
        return array.astype(dtype) if dtype is not None else array
    if dtype is None:
        dtype = _default_dtype(x)
    return jnp.asarray(x, dtype=dtype)


def _default_dtype(x):
    if isinstance(x, bool):
        return "bool"
    if isinstance(x, int):
        return "int32"
    if isinstance(x, float):
        return config.floatx()
    if isinstance(x, np.ndarray | np.generic):
        if x.dtype == np.float64:
            return config.floatx()
        return standardize_dtype(x.dtype)
    if isinstance(x, list | tuple):
        array = np.asarray(x)
        if array.dtype == np.float64:
            return config.floatx()
        if array.dtype == object:
            raise ValueError(
                "Cannot convert a ragged or mixed nested list to a tensor. "
                f"Received: {_short_repr(x)}"
            )
        return standardize_dtype(array.dtype)
    return None


def _short_repr(x, limit=80):
    text = repr(x)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def convert_to_numpy(x):
    """Returns ``x`` as a numpy array (a host copy for device arrays)."""
    if isinstance(x, Variable):
        x = x.value
    return np.asarray(x)


def cast(x, dtype):
    """Returns ``x`` converted to ``dtype``."""
    return convert_to_tensor(x).astype(standardize_dtype(dtype))


def shape(x):
    """The shape of ``x`` as a tuple (static under ``jit``; ``None`` for symbolic axes)."""
    if isinstance(x, SymbolicTensor | Variable):
        return tuple(x.shape)
    return tuple(jnp.shape(x))


def dtype(x):
    """The canonical dtype name of ``x``."""
    if isinstance(x, SymbolicTensor | Variable):
        return x.dtype
    return standardize_dtype(convert_to_tensor(x).dtype)


def stop_gradient(x):
    return jax.lax.stop_gradient(convert_to_tensor(x))


def cond(pred, true_fn, false_fn):
    return jax.lax.cond(pred, true_fn, false_fn)


def fori_loop(lower, upper, body_fun, init_val):
    return jax.lax.fori_loop(lower, upper, body_fun, init_val)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    return jax.lax.scan(f, init, xs=xs, length=length, reverse=reverse, unroll=unroll)


def while_loop(cond_fun, body_fun, loop_vars):
    return jax.lax.while_loop(cond_fun, body_fun, loop_vars)


def slice(inputs, start_indices, shape):  # noqa: A001 - keras.ops name
    return jax.lax.dynamic_slice(convert_to_tensor(inputs), start_indices, shape)


def slice_update(inputs, start_indices, updates):
    return jax.lax.dynamic_update_slice(
        convert_to_tensor(inputs), convert_to_tensor(updates), start_indices
    )


def vectorized_map(function, elements):
    return jax.vmap(function)(elements)


def unstack(x, num=None, axis=0):
    x = convert_to_tensor(x)
    return [jnp.squeeze(part, axis) for part in jnp.split(x, x.shape[axis], axis=axis)]
