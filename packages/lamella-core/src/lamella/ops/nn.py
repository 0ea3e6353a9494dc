"""Neural-network operations, named as in ``keras.ops``."""

import jax
import jax.numpy as jnp

from lamella.ops.activation_ops import (  # noqa: F401 - re-exported as ops
    celu,
    elu,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_tanh,
    leaky_relu,
    log_sigmoid,
    log_softmax,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    soft_shrink,
    softmax,
    softplus,
    softsign,
    sparse_plus,
    sparsemax,
    squareplus,
    tanh_shrink,
)
from lamella.backend.dtypes import standardize_dtype
from lamella.ops.core import convert_to_tensor

swish = silu
hard_swish = hard_silu

__all__ = [
    "celu", "elu", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish",
    "hard_tanh", "leaky_relu", "log_sigmoid", "log_softmax", "relu", "relu6", "selu",
    "sigmoid", "silu", "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus",
    "sparsemax", "squareplus", "swish", "tanh_shrink", "moments", "multi_hot", "normalize", "one_hot",
]


def one_hot(x, num_classes, axis=-1, dtype=None):
    """One-hot encodes integer ``x`` into ``num_classes`` values along ``axis``.

    Out-of-range and negative indices give all-zero rows.
    """
    x = convert_to_tensor(x)
    return jax.nn.one_hot(x, num_classes, axis=axis, dtype=standardize_dtype(dtype))


def multi_hot(x, num_classes, axis=-1, dtype=None):
    """Marks every class present in the last axis of integer ``x``."""
    encoded = one_hot(x, num_classes, axis=axis, dtype=dtype)
    return jnp.max(encoded, axis=-2 if axis == -1 else axis - 1)


def moments(x, axes, keepdims=False):
    """Mean and variance of ``x`` over ``axes``."""
    x = convert_to_tensor(x)
    mean = jnp.mean(x, axis=axes, keepdims=True)
    variance = jnp.mean(jnp.square(x - jax.lax.stop_gradient(mean)), axis=axes, keepdims=True)
    if not keepdims:
        mean = jnp.squeeze(mean, axes)
        variance = jnp.squeeze(variance, axes)
    return mean, variance


def normalize(x, axis=-1, order=2, epsilon=None):
    """``x`` divided by its ``order``-norm along ``axis``."""
    from lamella.backend import config

    x = convert_to_tensor(x)
    norm = jnp.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / jnp.maximum(norm, epsilon if epsilon is not None else config.epsilon())
