"""Regression losses: squared, absolute, percentage and logarithmic errors, Huber,
log-cosh and cosine similarity.

Each function returns one value per sample (the mean over the last axis, or for
``cosine_similarity`` the sum over ``axis``); its class weights and reduces them.
"""

import jax
import jax.numpy as jnp

from lamella.backend import config
from lamella.losses._utils import FunctionLoss, prepare


def mean_squared_error(y_true, y_pred):
    """``mean(square(y_true - y_pred), axis=-1)``."""
    y_true, y_pred = prepare(y_true, y_pred)
    return jnp.mean(jnp.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """``mean(abs(y_true - y_pred), axis=-1)``."""
    y_true, y_pred = prepare(y_true, y_pred)
    return jnp.mean(jnp.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """``100 * mean(abs((y_true - y_pred) / y_true), axis=-1)``; targets closer to 0
    than ``epsilon()`` divide by ``epsilon()`` instead."""
    y_true, y_pred = prepare(y_true, y_pred)
    epsilon = jnp.asarray(config.epsilon(), y_pred.dtype)
    ratio = jnp.abs((y_true - y_pred) / jnp.maximum(jnp.abs(y_true), epsilon))
    return 100.0 * jnp.mean(ratio, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """``mean(square(log(y_pred + 1) - log(y_true + 1)), axis=-1)``; values below
    ``epsilon()`` count as ``epsilon()``, so the logarithms stay finite."""
    y_true, y_pred = prepare(y_true, y_pred)
    epsilon = jnp.asarray(config.epsilon(), y_pred.dtype)
    first = jnp.log(jnp.maximum(y_pred, epsilon) + 1.0)
    second = jnp.log(jnp.maximum(y_true, epsilon) + 1.0)
    return jnp.mean(jnp.square(first - second), axis=-1)


def huber(y_true, y_pred, delta=1.0):
    """The Huber loss: quadratic for small errors, linear for large ones.

    For each error ``x = y_pred - y_true``: ``0.5 * x**2`` when ``|x| <= delta``,
    else ``delta * |x| - 0.5 * delta**2``; then the mean over the last axis.

    Args:
        delta: where the loss turns from quadratic to linear.
    """
    y_true, y_pred = prepare(y_true, y_pred)
    delta = jnp.asarray(delta, y_pred.dtype)
    error = y_pred - y_true
    absolute = jnp.abs(error)
    values = jnp.where(absolute <= delta, 0.5 * jnp.square(error), delta * absolute - 0.5 * jnp.square(delta))
    return jnp.mean(values, axis=-1)


def log_cosh(y_true, y_pred):
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``: about ``x**2 / 2`` for small
    errors and ``|x| - log(2)`` for large ones."""
    y_true, y_pred = prepare(y_true, y_pred)
    x = y_pred - y_true
    # log(cosh(x)) = x + softplus(-2x) - log(2): no overflow of cosh for large |x|.
    log2 = jnp.asarray(jnp.log(2.0), y_pred.dtype)
    return jnp.mean(x + jax.nn.softplus(-2.0 * x) - log2, axis=-1)


def l2_normalize(x, axis=-1):
    """``x`` divided by its L2 norm along ``axis`` (a zero vector stays zero)."""
    squares = jnp.sum(jnp.square(x), axis=axis, keepdims=True)
    inverse = jnp.minimum(jax.lax.rsqrt(squares), 1.0 / jnp.asarray(config.epsilon(), x.dtype))
    return x * inverse


def cosine_similarity(y_true, y_pred, axis=-1):
    """``-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)``.

    Between -1 (same direction, the best) and 1 (opposite); 0 when either vector
    is zero, whatever the other.

    Args:
        axis: the axis the vectors lie along.
    """
    y_true, y_pred = prepare(y_true, y_pred)
    return -jnp.sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), axis=axis)


class MeanSquaredError(FunctionLoss):
    """The mean of squared errors (see ``mean_squared_error``).

    Args:
        reduction: how per-sample values are reduced (see ``Loss``).
        name: the loss's name in logs.
        dtype: the dtype of the computation.

    Example:
        >>> MeanSquaredError()([[0.0, 1.0]], [[1.0, 1.0]])  # 0.5
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsoluteError(FunctionLoss):
    """The mean of absolute errors. Args: ``reduction``, ``name``, ``dtype``."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsolutePercentageError(FunctionLoss):
    """The mean absolute error in percent of the targets (see
    ``mean_absolute_percentage_error``). Args: ``reduction``, ``name``, ``dtype``."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, reduction=reduction, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(FunctionLoss):
    """The mean squared error of ``log(1 + y)`` (see
    ``mean_squared_logarithmic_error``). Args: ``reduction``, ``name``, ``dtype``."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, reduction=reduction, name=name, dtype=dtype)


class Huber(FunctionLoss):
    """The Huber loss (see ``huber``).

    Args:
        delta: where the loss turns from quadratic to linear (kept in the config,
            which Keras 3's config forgets).
        reduction, name, dtype: see ``Loss``.

    Example:
        >>> Huber(delta=0.5)([[0.0, 2.0]], [[0.2, 0.0]])
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=delta)
        self.delta = delta


class LogCosh(FunctionLoss):
    """The logarithm of the hyperbolic cosine of the error (see ``log_cosh``).
    Args: ``reduction``, ``name``, ``dtype``."""

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, reduction=reduction, name=name, dtype=dtype)


class CosineSimilarity(FunctionLoss):
    """The negative cosine similarity (see ``cosine_similarity``): minimizing it
    aligns predictions with targets.

    Args:
        axis: the axis the vectors lie along.
        reduction, name, dtype: see ``Loss``.
    """

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None):
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype, axis=axis)
        self.axis = axis
