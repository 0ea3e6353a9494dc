"""Keras 2's backend math (``from keras import backend as K``): elementwise
functions, comparisons, reductions and products.

Keras 3 dropped these for ``keras.ops``; the Keras 2 tutorials still write
``K.dot``, ``K.sum`` and ``K.square`` in custom layers and losses, so lamella keeps
them, with Keras 2's semantics where they differ from numpy's (``dot`` of
higher-rank tensors, ``batch_dot``, ``sqrt`` of negative values, ``clip`` with
crossed bounds). Every function takes arrays, numpy arrays or ``Variable``s and
returns a ``jax.Array``; they work inside compiled steps.
"""

import jax.numpy as jnp

from lamella.ops.core import convert_to_tensor as _t

__all__ = [
    "abs", "all", "any", "argmax", "argmin", "batch_dot", "clip", "cos", "cumprod",
    "cumsum", "dot", "equal", "exp", "greater", "greater_equal", "less", "less_equal",
    "log", "logsumexp", "max", "maximum", "mean", "min", "minimum", "not_equal", "pow",
    "prod", "round", "sign", "sin", "sqrt", "square", "std", "sum", "var",
]


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


# -- elementwise -------------------------------------------------------------------------


def abs(x):  # noqa: A001 - Keras 2's name
    return jnp.abs(_t(x))


def square(x):
    return jnp.square(_t(x))


def sqrt(x):
    """Square root, with negative inputs clipped to 0 first (as Keras 2 did, so a
    rounding error below zero gives 0 rather than NaN)."""
    x = _t(x)
    return jnp.sqrt(jnp.maximum(x, jnp.zeros((), x.dtype)))


def exp(x):
    return jnp.exp(_t(x))


def log(x):
    return jnp.log(_t(x))


def round(x):  # noqa: A001
    """Rounds to the nearest integer, halves to even (as Keras 2's TensorFlow did)."""
    return jnp.round(_t(x))


def sign(x):
    return jnp.sign(_t(x))


def pow(x, a):  # noqa: A001
    return jnp.power(_t(x), a)


def sin(x):
    return jnp.sin(_t(x))


def cos(x):
    return jnp.cos(_t(x))


def clip(x, min_value, max_value):
    """Values limited to ``[min_value, max_value]``; a ``max_value`` below
    ``min_value`` is raised to it (Keras 2), and ``None`` means unbounded."""
    x = _t(x)
    if max_value is not None and min_value is not None and max_value < min_value:
        max_value = min_value
    return jnp.clip(x, min_value, max_value)


def maximum(x, y):
    return jnp.maximum(_t(x), _t(y))


def minimum(x, y):
    return jnp.minimum(_t(x), _t(y))


# -- comparisons -------------------------------------------------------------------------


def equal(x, y):
    return jnp.equal(_t(x), _t(y))


def not_equal(x, y):
    return jnp.not_equal(_t(x), _t(y))


def greater(x, y):
    return jnp.greater(_t(x), _t(y))


def greater_equal(x, y):
    return jnp.greater_equal(_t(x), _t(y))


def less(x, y):
    return jnp.less(_t(x), _t(y))


def less_equal(x, y):
    return jnp.less_equal(_t(x), _t(y))


# -- reductions --------------------------------------------------------------------------


def sum(x, axis=None, keepdims=False):  # noqa: A001
    return jnp.sum(_t(x), axis=_axis(axis), keepdims=keepdims)


def prod(x, axis=None, keepdims=False):
    return jnp.prod(_t(x), axis=_axis(axis), keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    """The mean; booleans count as 0 and 1 (float result)."""
    x = _t(x)
    if x.dtype == jnp.bool_:
        x = x.astype("float32")
    return jnp.mean(x, axis=_axis(axis), keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    """The population variance (divided by the count, not count - 1)."""
    return jnp.var(_t(x), axis=_axis(axis), keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    """The population standard deviation."""
    return jnp.std(_t(x), axis=_axis(axis), keepdims=keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    return jnp.max(_t(x), axis=_axis(axis), keepdims=keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    return jnp.min(_t(x), axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):  # noqa: A001
    """Whether any value is non-zero (a boolean result)."""
    return jnp.any(_t(x).astype(bool), axis=_axis(axis), keepdims=keepdims)


def all(x, axis=None, keepdims=False):  # noqa: A001
    """Whether every value is non-zero (a boolean result)."""
    return jnp.all(_t(x).astype(bool), axis=_axis(axis), keepdims=keepdims)


def argmax(x, axis=-1):
    return jnp.argmax(_t(x), axis=axis)


def argmin(x, axis=-1):
    return jnp.argmin(_t(x), axis=axis)


def cumsum(x, axis=0):
    return jnp.cumsum(_t(x), axis=axis)


def cumprod(x, axis=0):
    return jnp.cumprod(_t(x), axis=axis)


def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))``, computed without overflow."""
    from jax.scipy.special import logsumexp as _logsumexp

    return _logsumexp(_t(x), axis=_axis(axis), keepdims=keepdims)


# -- products ----------------------------------------------------------------------------


def dot(x, y):
    """The matrix product, extended to higher ranks as Keras 2 did: the last axis of
    ``x`` meets the second-to-last axis of ``y`` (the last if ``y`` is a vector), and
    the result has shape ``x.shape[:-1] + y.shape[:-2] + y.shape[-1:]``.

    Example:

    >>> dot(np.ones((2, 3, 4)), np.ones((4, 5))).shape
    (2, 3, 5)
    >>> dot(np.ones((2, 3)), np.ones((7, 3, 5))).shape
    (2, 7, 5)
    """
    x, y = _t(x), _t(y)
    if x.ndim == 0 or y.ndim == 0:
        raise ValueError(
            f"dot expected tensors of rank 1 or more. Received shapes {x.shape} and {y.shape}."
        )
    y_axis = y.ndim - 2 if y.ndim >= 2 else 0
    if x.shape[-1] != y.shape[y_axis]:
        raise ValueError(
            f"dot: the last axis of x ({x.shape[-1]}) must equal axis {y_axis} of y "
            f"({y.shape[y_axis]}). Received shapes {x.shape} and {y.shape}."
        )
    return jnp.tensordot(x, y, axes=([x.ndim - 1], [y_axis]))


def batch_dot(x, y, axes=None):
    """Sample-by-sample dot product: for each index of axis 0, ``x[i]`` and ``y[i]``
    are contracted over ``axes`` (an int for both, or a pair, counted including the
    batch axis). The default contracts the last axis of ``x`` with the
    second-to-last of ``y`` (the last if ``y`` has rank 2). A result with only the
    batch axis left gets a trailing axis of 1, as in Keras 2.

    Example:

    >>> batch_dot(np.array([[1., 2.], [3., 4.]]), np.array([[5., 6.], [7., 8.]]), axes=1).tolist()
    [[17.0], [53.0]]
    >>> batch_dot(np.ones((32, 20, 1)), np.ones((32, 30, 20)), axes=(1, 2)).shape
    (32, 1, 30)
    """
    x, y = _t(x), _t(y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError(
            f"batch_dot expected tensors of rank 2 or more (a batch axis and at least "
            f"one more). Received shapes {x.shape} and {y.shape}."
        )
    if axes is None:
        axes = (x.ndim - 1, y.ndim - 2 if y.ndim > 2 else y.ndim - 1)
    elif isinstance(axes, int):
        axes = (axes, axes)
    a, b = (axis % t.ndim for axis, t in zip(axes, (x, y)))
    if 0 in (a, b):
        raise ValueError(f"batch_dot cannot contract the batch axis. Received axes={tuple(axes)}.")
    if x.shape[0] != y.shape[0] or x.shape[a] != y.shape[b]:
        raise ValueError(
            f"batch_dot: incompatible shapes {x.shape} and {y.shape} for axes "
            f"{tuple(axes)} (batch sizes and contracted sizes must match)."
        )
    x_letters = [chr(ord("b") + i) for i in range(x.ndim - 1)]
    y_letters = [chr(ord("b") + x.ndim - 1 + i) for i in range(y.ndim - 1)]
    y_letters[b - 1] = x_letters[a - 1]
    x_rest = [c for i, c in enumerate(x_letters) if i != a - 1]
    y_rest = [c for i, c in enumerate(y_letters) if i != b - 1]
    spec = f"a{''.join(x_letters)},a{''.join(y_letters)}->a{''.join(x_rest + y_rest)}"
    result = jnp.einsum(spec, x, y)
    return result[:, None] if result.ndim == 1 else result
