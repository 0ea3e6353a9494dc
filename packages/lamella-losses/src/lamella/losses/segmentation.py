"""Overlap losses for segmentation: Dice and Tversky.

With ``axis=None`` (the default, as in Keras) the overlap is measured over the whole
batch at once and the loss is one number; ``axis=(1, 2, 3)`` measures it per image,
giving one value per sample that ``sample_weight`` and the reduction then apply to.
"""

import numbers

import jax.numpy as jnp

from lamella.backend import config
from lamella.losses._utils import FunctionLoss, cast_like_predictions


def _is_integer(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _axes(axis, what):
    if axis is None or _is_integer(axis):
        return axis
    if isinstance(axis, list | tuple) and all(_is_integer(a) for a in axis):
        return tuple(int(a) for a in axis)
    raise ValueError(f"{what} expected None, an integer or a tuple of integers for axis. Received: axis={axis!r}")


def dice(y_true, y_pred, axis=None):
    """``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)``.

    Args:
        axis: the axes summed over (``None``: all of them).
    """
    y_true, y_pred = cast_like_predictions(y_true, y_pred)
    axis = _axes(axis, "dice")
    intersection = jnp.sum(y_true * y_pred, axis=axis)
    total = jnp.sum(y_true, axis=axis) + jnp.sum(y_pred, axis=axis) + config.epsilon()
    return 1.0 - 2.0 * intersection / total


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """``1 - TP / (TP + alpha * A + beta * B + epsilon)`` (Salehi et al., 2017).

    ``TP = sum(y_true * y_pred)``, ``A = sum(y_true * (1 - y_pred))`` (the targets
    the predictions miss) and ``B = sum((1 - y_true) * y_pred)`` (the predictions
    off target). The terms are weighted as Keras 3 weighs them, so that a Keras
    model's ``alpha`` and ``beta`` mean the same here. ``alpha = beta = 0.5`` is the
    Dice loss.

    Args:
        alpha: the weight of ``A``.
        beta: the weight of ``B``.
        axis: the axes summed over (``None``: all of them).
    """
    y_true, y_pred = cast_like_predictions(y_true, y_pred)
    axis = _axes(axis, "tversky")
    intersection = jnp.sum(y_true * y_pred, axis=axis)
    missed = jnp.sum((1.0 - y_pred) * y_true, axis=axis)
    extra = jnp.sum(y_pred * (1.0 - y_true), axis=axis)
    return 1.0 - intersection / (intersection + alpha * missed + beta * extra + config.epsilon())


class Dice(FunctionLoss):
    """The Dice loss (see ``dice``).

    Args:
        reduction, name, dtype: see ``Loss``.
        axis: the axes summed over (``None``: all, giving one value per batch).

    Example:
        >>> Dice(axis=(1, 2))(masks, predicted_masks)  # masks: (batch, h, w)
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        _axes(axis, "Dice")
        super().__init__(dice, reduction=reduction, name=name, dtype=dtype, axis=axis)
        self.axis = axis


class Tversky(FunctionLoss):
    """The Tversky loss (see ``tversky``).

    Args:
        alpha: the weight of the targets the predictions miss.
        beta: the weight of the predictions off target.
        reduction, name, dtype: see ``Loss``.
        axis: the axes summed over (``None``: all, giving one value per batch).
    """

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky", axis=None, dtype=None):
        _axes(axis, "Tversky")
        super().__init__(tversky, reduction=reduction, name=name, dtype=dtype, alpha=alpha, beta=beta, axis=axis)
        self.alpha = alpha
        self.beta = beta
        self.axis = axis
