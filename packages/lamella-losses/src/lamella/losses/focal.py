"""Focal crossentropies (Lin et al., 2017, https://arxiv.org/abs/1708.02002): the
crossentropy of each target scaled by ``(1 - p_t) ** gamma``, so well-classified
examples count less and training focuses on the hard ones."""

import warnings

import jax
import jax.numpy as jnp

from lamella.backend import config
from lamella.losses._utils import FunctionLoss, check_axis, check_fraction, float_predictions, prepare
from lamella.ops.core import convert_to_tensor


def _check_focal_arguments(owner, gamma):
    if isinstance(gamma, bool) or not isinstance(gamma, int | float) or gamma < 0:
        raise ValueError(f"{owner} expected a non-negative number for gamma. Received: gamma={gamma!r}")


def binary_focal_crossentropy(
    y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0,
    from_logits=False, label_smoothing=0.0, axis=-1,
):
    """``mean((1 - p_t) ** gamma * bce, axis)``, with ``p_t = p`` for positive targets
    and ``1 - p`` for negative ones.

    Args:
        apply_class_balancing: also weigh positive targets by ``alpha`` and negative
            ones by ``1 - alpha``.
        alpha: the weight of the positive class when balancing.
        gamma: the focusing exponent; 0 gives the binary crossentropy.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in ``[0, 1]``; targets move towards 0.5 by this amount.
        axis: the axis the mean is taken over.
    """
    y_true, y_pred = prepare(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    p = jax.nn.sigmoid(y_pred) if from_logits else y_pred
    eps = config.epsilon()
    clipped = jnp.clip(p, eps, 1.0 - eps)
    bce = -(y_true * jnp.log(clipped) + (1.0 - y_true) * jnp.log(1.0 - clipped))
    p_t = y_true * p + (1.0 - y_true) * (1.0 - p)
    values = jnp.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        values = (y_true * alpha + (1.0 - y_true) * (1.0 - alpha)) * values
    return jnp.mean(values, axis=axis)


def categorical_focal_crossentropy(
    y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
):
    """``sum(alpha * (1 - p) ** gamma * -y_true * log(p), axis)`` over the classes.

    Args:
        alpha: the weight of every class (a number), or one weight per class (a
            list, for a class axis that is last).
        gamma: the focusing exponent; 0 gives ``alpha`` times the categorical
            crossentropy.
        from_logits: whether ``y_pred`` holds logits; otherwise probabilities, which
            are renormalized to sum to 1.
        label_smoothing: in ``[0, 1]``; targets mix with the uniform distribution.
        axis: the class axis.
    """
    y_pred = float_predictions(y_pred)
    y_true = convert_to_tensor(y_true).astype(y_pred.dtype)
    axis = check_axis(axis, y_pred.ndim, "categorical_focal_crossentropy")
    classes = y_pred.shape[axis]
    if classes == 1:
        warnings.warn(
            "categorical_focal_crossentropy expects predictions of shape (batch_size, "
            f"num_classes) with num_classes > 1. Received: y_pred.shape={y_pred.shape}. "
            "Use binary_focal_crossentropy for two classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / classes
    if from_logits:
        y_pred = jax.nn.softmax(y_pred, axis=axis)
    eps = config.epsilon()
    p = jnp.clip(y_pred / jnp.sum(y_pred, axis=axis, keepdims=True), eps, 1.0 - eps)
    alpha = jnp.asarray(alpha, y_pred.dtype)
    values = alpha * jnp.power(1.0 - p, gamma) * (-y_true * jnp.log(p))
    return jnp.sum(values, axis=axis)


class BinaryFocalCrossentropy(FunctionLoss):
    """The binary focal crossentropy (see ``binary_focal_crossentropy``).

    Args:
        apply_class_balancing: weigh the classes by ``alpha`` and ``1 - alpha``.
        alpha: in ``[0, 1]``, the weight of the positive class when balancing.
        gamma: the focusing exponent (non-negative).
        from_logits: whether predictions are logits.
        label_smoothing: in ``[0, 1]``.
        axis: the axis the mean is taken over.
        reduction, name, dtype: see ``Loss``.

    Example:
        >>> BinaryFocalCrossentropy(gamma=2.0)([[0.0, 1.0]], [[0.4, 0.6]])
    """

    def __init__(
        self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
        label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
        name="binary_focal_crossentropy", dtype=None,
    ):
        check_fraction("BinaryFocalCrossentropy", "alpha", alpha)
        _check_focal_arguments("BinaryFocalCrossentropy", gamma)
        super().__init__(
            binary_focal_crossentropy, reduction=reduction, name=name, dtype=dtype,
            apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
            from_logits=from_logits, label_smoothing=label_smoothing, axis=axis,
        )
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class CategoricalFocalCrossentropy(FunctionLoss):
    """The categorical focal crossentropy (see ``categorical_focal_crossentropy``).

    Args:
        alpha: a class weight (number), or one weight per class (list).
        gamma: the focusing exponent (non-negative).
        from_logits: whether predictions are logits.
        label_smoothing: in ``[0, 1]``.
        axis: the class axis.
        reduction, name, dtype: see ``Loss``.
    """

    def __init__(
        self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
        reduction="sum_over_batch_size", name="categorical_focal_crossentropy", dtype=None,
    ):
        _check_focal_arguments("CategoricalFocalCrossentropy", gamma)
        if isinstance(alpha, tuple):
            alpha = list(alpha)
        super().__init__(
            categorical_focal_crossentropy, reduction=reduction, name=name, dtype=dtype,
            alpha=alpha, gamma=gamma, from_logits=from_logits,
            label_smoothing=label_smoothing, axis=axis,
        )
        self.alpha = alpha
        self.gamma = gamma
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
