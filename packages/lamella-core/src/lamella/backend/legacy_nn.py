"""Keras 2's backend neural-network functions (``from keras import backend as K``):
activations, crossentropies, dropout and normalisation, with Keras 2's formulas.

Two differ from today's ``lamella.activations`` on purpose, since Keras 2 code
relies on them: ``hard_sigmoid`` is ``clip(0.2 x + 0.5, 0, 1)`` (Keras 3 uses
``x / 6 + 0.5``), and the crossentropies clip probabilities to
``[epsilon, 1 - epsilon]`` and return one value per element or sample, unreduced.
"""

import jax
import jax.numpy as jnp

from lamella.backend.config import epsilon, floatx, standardize_data_format
from lamella.ops import activation_ops as _ops
from lamella.ops.core import convert_to_tensor as _t

__all__ = [
    "bias_add", "binary_crossentropy", "categorical_crossentropy", "dropout", "elu",
    "hard_sigmoid", "in_top_k", "l2_normalize", "relu", "sigmoid", "softmax",
    "softplus", "softsign", "sparse_categorical_crossentropy", "tanh",
]


def _float(x):
    x = _t(x)
    return x if jnp.issubdtype(x.dtype, jnp.floating) else x.astype(floatx())


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """``x`` above ``threshold``, ``alpha * (x - threshold)`` below, capped at
    ``max_value``."""
    return _ops.relu(x, negative_slope=alpha, max_value=max_value, threshold=threshold)


def hard_sigmoid(x):
    """Keras 2's piecewise-linear sigmoid: ``clip(0.2 x + 0.5, 0, 1)``."""
    x = _float(x)
    return jnp.clip(0.2 * x + 0.5, 0.0, 1.0)


# The same formulas as today's activations.
elu, sigmoid, tanh, softplus, softsign, softmax = (
    _ops.elu, _ops.sigmoid, _ops.tanh, _ops.softplus, _ops.softsign, _ops.softmax,
)


def _clipped(output):
    eps = jnp.asarray(epsilon(), output.dtype)
    return jnp.clip(output, eps, 1 - eps)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """``-sum(target * log(output))`` over ``axis``, per sample. Probabilities are
    first rescaled to sum to 1 and clipped to ``[epsilon, 1 - epsilon]``."""
    target, output = _float(target), _float(output)
    if from_logits:
        return -jnp.sum(target * jax.nn.log_softmax(output, axis=axis), axis=axis)
    output = output / jnp.sum(output, axis=axis, keepdims=True)
    return -jnp.sum(target * jnp.log(_clipped(output)), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """``categorical_crossentropy`` with integer class ids as targets."""
    output = _float(output)
    target = _t(target).astype("int32")
    if target.ndim == output.ndim:
        target = jnp.squeeze(target, axis=axis)
    one_hot = jax.nn.one_hot(target, output.shape[axis], dtype=output.dtype, axis=axis)
    return categorical_crossentropy(one_hot, output, from_logits=from_logits, axis=axis)


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise ``-(t log(p) + (1 - t) log(1 - p))``, ``p`` clipped to
    ``[epsilon, 1 - epsilon]`` (no mean: Keras 2's backend left it to the loss)."""
    target, output = _float(target), _float(output)
    if from_logits:
        return jnp.maximum(output, 0) - output * target + jnp.log1p(jnp.exp(-jnp.abs(output)))
    output = _clipped(output)
    eps = epsilon()
    return -(target * jnp.log(output + eps) + (1 - target) * jnp.log(1 - output + eps))


def dropout(x, level, noise_shape=None, seed=None):
    """Zeroes each value with probability ``level`` and scales the others by
    ``1 / (1 - level)``, always (Keras 2's backend had no training flag)."""
    from lamella import random

    if not 0 <= level < 1:
        raise ValueError(f"dropout expected a level in [0, 1). Received: level={level!r}")
    return random.dropout(x, level, noise_shape=noise_shape, seed=seed)


def l2_normalize(x, axis=None):
    """``x / sqrt(max(sum(x ** 2), 1e-12))`` over ``axis`` (all axes by default)."""
    x = _float(x)
    squares = jnp.sum(jnp.square(x), axis=axis, keepdims=True)
    return x * jax.lax.rsqrt(jnp.maximum(squares, 1e-12))


def in_top_k(predictions, targets, k):
    """Whether each sample's target class is among its ``k`` highest predictions
    (ties counted in the target's favour): a boolean per sample."""
    predictions = _float(predictions)
    targets = _t(targets).astype("int32").reshape(-1)
    target_scores = jnp.take_along_axis(predictions, targets[:, None], axis=-1)
    higher = jnp.sum(predictions > target_scores, axis=-1)
    return higher < k


def bias_add(x, bias, data_format=None):
    """``x + bias`` on the channels axis (last for ``channels_last``, axis 1 for
    ``channels_first``); ``bias`` is a vector or has the shape of one sample."""
    x, bias = _t(x), _t(bias)
    data_format = standardize_data_format(data_format)
    if bias.ndim == 1 and data_format == "channels_first" and x.ndim > 2:
        bias = bias.reshape((-1,) + (1,) * (x.ndim - 2))
    return x + bias
