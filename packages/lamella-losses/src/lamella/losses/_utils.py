"""Shared preparation of ``y_true`` and ``y_pred`` for loss and metric functions,
and the base of the catalogue's loss classes."""

import jax.numpy as jnp

from lamella.ops.core import convert_to_tensor
from lamella.training.loss import LossFunctionWrapper, squeeze_or_expand_to_same_rank


def float_predictions(y_pred):
    """``y_pred`` as a tensor of a float dtype (integers become float32)."""
    y_pred = convert_to_tensor(y_pred)
    if not jnp.issubdtype(y_pred.dtype, jnp.floating):
        y_pred = y_pred.astype(jnp.float32)
    return y_pred


def prepare(y_true, y_pred):
    """Tensors of ``y_pred``'s float dtype, ranks aligned as Keras aligns them."""
    y_pred = float_predictions(y_pred)
    y_true = convert_to_tensor(y_true).astype(y_pred.dtype)
    return align_ranks(y_true, y_pred)


def cast_like_predictions(y_true, y_pred):
    """Both as tensors of ``y_pred``'s float dtype, shapes untouched."""
    y_pred = float_predictions(y_pred)
    return convert_to_tensor(y_true).astype(y_pred.dtype), y_pred


def align_ranks(y_true, y_pred):
    """Ranks differing by one, where the longer ends in an axis of 1, made equal.

    ``(batch,)`` against ``(batch, 1)`` becomes ``(batch, 1)`` against
    ``(batch, 1)``, so a loss still returns one value per sample (dropping the axis
    instead would average the whole batch into one value); ``(batch, steps)``
    against ``(batch, steps, 1)`` drops the trailing axis.
    """
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def check_axis(axis, ndim, what):
    """``axis`` as a non-negative index into ``ndim`` axes, or a ``ValueError``."""
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(f"{what} expected an integer axis. Received: axis={axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{what} received axis={axis} for predictions of rank {ndim}.")
    return axis % ndim


def check_fraction(owner, name, value):
    """A ``ValueError`` naming ``name`` unless ``0 <= value <= 1``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{owner} expected {name} in [0, 1]. Received: {name}={value!r}")


class FunctionLoss(LossFunctionWrapper):
    """A ``LossFunctionWrapper`` whose function its subclass fixes.

    Its config holds the constructor's arguments (the function's keyword
    arguments among them), so ``from_config`` rebuilds it directly.
    """

    @classmethod
    def from_config(cls, config):
        return cls(**config)
