"""Probabilistic losses: binary, categorical and sparse categorical crossentropy,
Kullback-Leibler divergence and Poisson.

Probabilities are clipped to ``[epsilon, 1 - epsilon]`` before the log (so a
confident wrong prediction costs a large but finite loss); with ``from_logits=True``
the log-softmax or log-sigmoid of the logits is used, which is exact and stabler.
"""

import warnings

import jax
import jax.numpy as jnp

from lamella.backend import config
from lamella.losses._utils import FunctionLoss, cast_like_predictions, check_axis, float_predictions, prepare
from lamella.ops.core import convert_to_tensor


def _check_same_shape(y_true, y_pred, what):
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"{what} needs targets and predictions of the same shape. Received: "
            f"y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}"
        )


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """``-mean(y * log(p) + (1 - y) * log(1 - p), axis)`` for probabilities ``p``.

    Args:
        from_logits: whether ``y_pred`` holds logits instead of probabilities.
        label_smoothing: in ``[0, 1]``; targets move towards 0.5 by this amount.
        axis: the axis the mean is taken over.
    """
    y_true, y_pred = prepare(y_true, y_pred)
    _check_same_shape(y_true, y_pred, "binary_crossentropy")
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        values = -y_true * jax.nn.log_sigmoid(y_pred) - (1.0 - y_true) * jax.nn.log_sigmoid(-y_pred)
    else:
        eps = config.epsilon()
        p = jnp.clip(y_pred, eps, 1.0 - eps)
        values = -(y_true * jnp.log(p) + (1.0 - y_true) * jnp.log(1.0 - p))
    return jnp.mean(values, axis=axis)


def _log_probabilities(y_pred, from_logits, axis):
    if from_logits:
        return jax.nn.log_softmax(y_pred, axis=axis)
    eps = config.epsilon()
    p = y_pred / jnp.sum(y_pred, axis=axis, keepdims=True)
    return jnp.log(jnp.clip(p, eps, 1.0 - eps))


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """``-sum(y_true * log(p), axis)`` for one-hot (or soft) targets.

    Args:
        from_logits: whether ``y_pred`` holds logits; otherwise probabilities, which
            are renormalized to sum to 1.
        label_smoothing: in ``[0, 1]``; targets mix with the uniform distribution
            over the classes of ``axis``.
        axis: the class axis.
    """
    y_pred = float_predictions(y_pred)
    y_true = convert_to_tensor(y_true).astype(y_pred.dtype)
    _check_same_shape(y_true, y_pred, "categorical_crossentropy")
    axis = check_axis(axis, y_pred.ndim, "categorical_crossentropy")
    classes = y_pred.shape[axis]
    if classes == 1:
        warnings.warn(
            "categorical_crossentropy expects predictions of shape (batch_size, "
            f"num_classes) with num_classes > 1. Received: y_pred.shape={y_pred.shape}. "
            "With a single class the loss is always about 0: use binary_crossentropy for "
            "two classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    if label_smoothing:
        # Keras divides by the size of the last axis whatever ``axis`` is; the
        # classes are those of ``axis``, which is what lamella divides by.
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / classes
    return -jnp.sum(y_true * _log_probabilities(y_pred, from_logits, axis), axis=axis)


def _sparse_targets(y_true, y_pred, axis):
    """Integer-valued targets shaped like ``y_pred`` without its class axis."""
    y_true = convert_to_tensor(y_true)
    if y_true.ndim == y_pred.ndim and y_true.shape[axis] == 1:
        y_true = jnp.squeeze(y_true, axis)
    expected = y_pred.shape[:axis] + y_pred.shape[axis + 1:]
    if y_true.shape != expected:
        raise ValueError(
            "sparse_categorical_crossentropy needs one class index per prediction "
            f"(targets of shape {expected} for class axis {axis}). Received: "
            f"y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}"
        )
    return y_true


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Categorical crossentropy with integer class targets.

    Args:
        from_logits: whether ``y_pred`` holds logits.
        ignore_class: a class index whose targets contribute no loss (padding, the
            "void" class of segmentation maps): their values are 0, and the loss
            classes leave them out of the mean.
        axis: the class axis.
    """
    y_pred = float_predictions(y_pred)
    axis = check_axis(axis, y_pred.ndim, "sparse_categorical_crossentropy")
    y_true = _sparse_targets(y_true, y_pred, axis)
    valid = None
    if ignore_class is not None:
        valid = y_true != ignore_class
        y_true = jnp.where(valid, y_true, 0)
        # Ignored rows may hold anything (zeros, for padding): ones there keep
        # their log-probabilities, and so the gradients, finite.
        y_pred = jnp.where(jnp.expand_dims(valid, axis), y_pred, jnp.ones_like(y_pred))
    y_true = y_true.astype(jnp.int32)
    log_prob = _log_probabilities(y_pred, from_logits, axis)
    one_hot = jax.nn.one_hot(y_true, y_pred.shape[axis], axis=axis, dtype=y_pred.dtype)
    values = -jnp.sum(one_hot * log_prob, axis=axis)
    if valid is not None:
        values = jnp.where(valid, values, 0.0)
    return values


class BinaryCrossentropy(FunctionLoss):
    """Binary crossentropy (see ``binary_crossentropy``).

    Args:
        from_logits: whether predictions are logits.
        label_smoothing: in ``[0, 1]``.
        axis: the axis the mean is taken over.
        reduction, name, dtype: see ``Loss``.
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(
            binary_crossentropy, reduction=reduction, name=name, dtype=dtype,
            from_logits=from_logits, label_smoothing=label_smoothing, axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis



class CategoricalCrossentropy(FunctionLoss):
    """Categorical crossentropy for one-hot targets (see ``categorical_crossentropy``).

    Args:
        from_logits: whether predictions are logits.
        label_smoothing: in ``[0, 1]``.
        axis: the class axis.
        reduction, name, dtype: see ``Loss``.
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(
            categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
            from_logits=from_logits, label_smoothing=label_smoothing, axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis



class SparseCategoricalCrossentropy(FunctionLoss):
    """Categorical crossentropy for integer targets.

    Targets equal to ``ignore_class`` leave the batch: with the mean reductions the
    mean runs over the other targets only.

    Args:
        from_logits: whether predictions are logits.
        ignore_class: a class index that contributes no loss.
        reduction, name, dtype: see ``Loss``.
        axis: the class axis.
    """

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size", axis=-1, name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(
            sparse_categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
            from_logits=from_logits, ignore_class=ignore_class, axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def compute_mask(self, y_true, y_pred):
        if self.ignore_class is None:
            return None
        y_pred = float_predictions(y_pred)
        axis = check_axis(self.axis, y_pred.ndim, "sparse_categorical_crossentropy")
        return _sparse_targets(y_true, y_pred, axis) != self.ignore_class


def kl_divergence(y_true, y_pred):
    """``sum(y_true * log(y_true / y_pred), axis=-1)``, the Kullback-Leibler
    divergence of the predicted distribution from the target one. Both are clipped
    to ``[epsilon(), 1]`` first."""
    y_true, y_pred = cast_like_predictions(y_true, y_pred)
    eps = config.epsilon()
    y_true = jnp.clip(y_true, eps, 1.0)
    y_pred = jnp.clip(y_pred, eps, 1.0)
    return jnp.sum(y_true * jnp.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    """``mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)``: the negative
    log-likelihood of counts ``y_true`` under Poisson rates ``y_pred`` (up to a
    constant)."""
    y_true, y_pred = prepare(y_true, y_pred)
    return jnp.mean(y_pred - y_true * jnp.log(y_pred + config.epsilon()), axis=-1)


class KLDivergence(FunctionLoss):
    """The Kullback-Leibler divergence (see ``kl_divergence``).
    Args: ``reduction``, ``name``, ``dtype``."""

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)


class Poisson(FunctionLoss):
    """The Poisson loss (see ``poisson``). Args: ``reduction``, ``name``, ``dtype``."""

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, reduction=reduction, name=name, dtype=dtype)
