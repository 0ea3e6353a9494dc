"""Hinge losses for maximum-margin classifiers: hinge, squared hinge and
categorical hinge."""

import jax.numpy as jnp

from lamella.losses._utils import FunctionLoss, cast_like_predictions


def to_signed_labels(y_true):
    """Binary targets ``{0, 1}`` as ``{-1, 1}``; other targets are kept as they are.

    The check runs on the device (a ``where``, not a Python ``if``), so it works on
    traced arrays inside a compiled step.
    """
    is_binary = jnp.all((y_true == 0) | (y_true == 1))
    return jnp.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true, y_pred):
    """``mean(maximum(1 - y_true * y_pred, 0), axis=-1)`` for targets in ``{-1, 1}``
    (``{0, 1}`` targets are converted)."""
    y_true, y_pred = cast_like_predictions(y_true, y_pred)
    y_true = to_signed_labels(y_true)
    return jnp.mean(jnp.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    """``mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`` for targets in
    ``{-1, 1}`` (``{0, 1}`` targets are converted)."""
    y_true, y_pred = cast_like_predictions(y_true, y_pred)
    y_true = to_signed_labels(y_true)
    return jnp.mean(jnp.square(jnp.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """``maximum(neg - pos + 1, 0)`` with ``pos = sum(y_true * y_pred)`` (the score
    of the target class) and ``neg = max((1 - y_true) * y_pred)`` (the best other
    score), for one-hot targets."""
    y_true, y_pred = cast_like_predictions(y_true, y_pred)
    positive = jnp.sum(y_true * y_pred, axis=-1)
    negative = jnp.max((1.0 - y_true) * y_pred, axis=-1)
    return jnp.maximum(negative - positive + 1.0, 0.0)


class Hinge(FunctionLoss):
    """The hinge loss (see ``hinge``). Args: ``reduction``, ``name``, ``dtype``.

    Example:
        >>> Hinge()([[1.0, -1.0]], [[0.3, 0.2]])  # mean(0.7, 1.2) = 0.95
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, reduction=reduction, name=name, dtype=dtype)


class SquaredHinge(FunctionLoss):
    """The squared hinge loss (see ``squared_hinge``). Args: ``reduction``,
    ``name``, ``dtype``."""

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, reduction=reduction, name=name, dtype=dtype)


class CategoricalHinge(FunctionLoss):
    """The categorical hinge loss (see ``categorical_hinge``). Args: ``reduction``,
    ``name``, ``dtype``."""

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, reduction=reduction, name=name, dtype=dtype)
