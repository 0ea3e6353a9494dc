"""NumPy-style operations, named as in ``keras.ops`` and computed by ``jax.numpy``.

Each function converts its array arguments with ``convert_to_tensor`` (so lists,
numpy arrays and lamella ``Variable``s are accepted) and then calls the
``jax.numpy`` function of the same name; see jax's documentation for the details of
each. Functions whose Keras semantics differ from NumPy's are written out below.
"""

import functools

import jax.numpy as jnp

from lamella.backend.dtypes import standardize_dtype
from lamella.ops.core import convert_to_tensor


def _convert_leading(count):
    """A wrapper converting the first ``count`` positional arguments."""

    def wrap(name):
        target = getattr(jnp, name)

        @functools.wraps(target)
        def op(*args, **kwargs):
            args = [
                convert_to_tensor(a) if i < count and a is not None else a
                for i, a in enumerate(args)
            ]
            return target(*args, **kwargs)

        op.__doc__ = (
            f"``jax.numpy.{name}`` on array-likes (lists, numpy arrays, Variables)."
        )
        op.__wrapped__ = target
        return op

    return wrap


def _convert_sequence(name):
    """A wrapper converting each element of the first argument (a sequence)."""
    target = getattr(jnp, name)

    @functools.wraps(target)
    def op(xs, *args, **kwargs):
        return target([convert_to_tensor(x) for x in xs], *args, **kwargs)

    op.__doc__ = f"``jax.numpy.{name}`` on a sequence of array-likes."
    return op


_UNARY = (
    "abs", "absolute", "all", "any", "amax", "amin", "arccos", "arccosh", "arcsin",
    "arcsinh", "arctan", "arctanh", "argmax", "argmin", "argsort", "average",
    "bincount", "broadcast_to", "cbrt", "ceil", "clip", "conj", "conjugate", "copy",
    "cos", "cosh", "count_nonzero", "cumprod", "cumsum", "deg2rad", "diag", "diagonal",
    "diff", "exp", "exp2", "expand_dims", "expm1", "flip", "floor", "imag", "isfinite",
    "isinf", "isnan", "log", "log10", "log1p", "log2", "logical_not", "max", "mean",
    "median", "min", "moveaxis", "nan_to_num", "ndim", "negative", "nonzero", "prod",
    "quantile", "rad2deg", "ravel", "real", "reciprocal", "repeat", "reshape", "roll",
    "round", "sign", "signbit", "sin", "sinh", "size", "sort", "split", "sqrt", "square",
    "squeeze", "std", "sum", "swapaxes", "tan", "tanh", "tile", "trace", "transpose",
    "tril", "triu", "trunc", "var", "zeros_like", "ones_like", "full_like", "empty_like",
    "rot90", "flatnonzero", "isreal", "angle", "unravel_index", "histogram",
)
_BINARY = (
    "add", "append", "arctan2", "bitwise_and", "bitwise_or", "bitwise_xor", "cross",
    "digitize", "divide", "dot", "equal", "floor_divide", "fmod", "greater",
    "greater_equal", "hypot", "inner", "isclose", "allclose", "kron", "left_shift",
    "less", "less_equal", "logaddexp", "logaddexp2", "logical_and", "logical_or",
    "logical_xor", "matmul", "maximum", "minimum", "mod", "multiply", "nextafter",
    "not_equal", "outer", "power", "remainder", "right_shift", "subtract",
    "take", "take_along_axis", "tensordot", "true_divide", "vdot", "searchsorted",
    "copysign", "heaviside", "gcd", "lcm", "ldexp", "correlate", "convolve", "polyval",
    "array_equal",
)
_TERNARY = ("where", "select")
_SEQUENCE = ("concatenate", "stack", "hstack", "vstack", "dstack", "column_stack", "meshgrid")
_CREATION = (
    "arange", "empty", "eye", "full", "identity", "linspace", "logspace", "ones",
    "tri", "zeros", "diag_indices", "tril_indices", "triu_indices",
)

for _name in _UNARY:
    globals()[_name] = _convert_leading(1)(_name)
for _name in _BINARY:
    globals()[_name] = _convert_leading(2)(_name)
for _name in _TERNARY:
    globals()[_name] = _convert_leading(3)(_name)
for _name in _SEQUENCE:
    globals()[_name] = _convert_sequence(_name)
for _name in _CREATION:
    globals()[_name] = getattr(jnp, _name)
del _name

__all__ = sorted([*_UNARY, *_BINARY, *_TERNARY, *_SEQUENCE, *_CREATION, "array", "astype", "divide_no_nan", "einsum", "norm", "pad", "squeeze_or_expand"])


def array(x, dtype=None):
    """A tensor from an array-like (Keras's ``ops.array``)."""
    return convert_to_tensor(x, dtype=dtype)


def einsum(subscripts, *operands, **kwargs):
    """``jax.numpy.einsum`` on array-likes."""
    return jnp.einsum(subscripts, *(convert_to_tensor(x) for x in operands), **kwargs)


def pad(x, pad_width, mode="constant", constant_values=None):
    """Pads ``x``; ``pad_width`` as in NumPy."""
    x = convert_to_tensor(x)
    if constant_values is not None:
        if mode != "constant":
            raise ValueError(
                "constant_values only applies to mode='constant'. "
                f"Received: mode={mode!r}"
            )
        return jnp.pad(x, pad_width, mode=mode, constant_values=constant_values)
    return jnp.pad(x, pad_width, mode=mode)


def divide_no_nan(x1, x2):
    """``x1 / x2``, with 0 wherever ``x2`` is 0."""
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    safe = jnp.where(x2 == 0, 1, x2)
    return jnp.where(x2 == 0, 0, x1 / safe)


def squeeze_or_expand(x, ndim):
    """``x`` with trailing size-1 axes removed or added until it has ``ndim`` axes."""
    x = convert_to_tensor(x)
    while x.ndim > ndim and x.shape[-1] == 1:
        x = jnp.squeeze(x, -1)
    while x.ndim < ndim:
        x = x[..., None]
    return x


def astype(x, dtype):
    return convert_to_tensor(x).astype(standardize_dtype(dtype))


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002 - NumPy's name
    """The vector or matrix norm (``jax.numpy.linalg.norm``)."""
    return jnp.linalg.norm(convert_to_tensor(x), ord=ord, axis=axis, keepdims=keepdims)
