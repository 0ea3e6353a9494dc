"""Accuracy metrics: exact match, binary, categorical, sparse categorical and top-k."""

import jax.numpy as jnp

from lamella.backend import config
from lamella.losses._utils import align_ranks, float_predictions
from lamella.ops.core import convert_to_tensor
from lamella.training.reduction_metrics import MeanMetricWrapper


def accuracy(y_true, y_pred):
    """1 where ``y_pred`` equals ``y_true`` exactly, else 0."""
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true).astype(y_pred.dtype)
    y_true, y_pred = align_ranks(y_true, y_pred)
    return (y_true == y_pred).astype(config.floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1 where ``y_pred > threshold`` matches the binary target."""
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true)
    y_true, y_pred = align_ranks(y_true, y_pred)
    predicted = (y_pred > threshold).astype(y_true.dtype)
    return (y_true == predicted).astype(config.floatx())


def categorical_accuracy(y_true, y_pred):
    """1 where the highest prediction is at the one-hot target's class (the first
    such class on ties)."""
    y_true = convert_to_tensor(y_true)
    y_pred = convert_to_tensor(y_pred)
    return (jnp.argmax(y_true, axis=-1) == jnp.argmax(y_pred, axis=-1)).astype(config.floatx())


def sparse_categorical_accuracy(y_true, y_pred):
    """1 where the highest prediction is at the integer target class.

    Targets are compared as numbers, so a non-integer target never matches.
    """
    y_pred = float_predictions(y_pred)
    y_true = convert_to_tensor(y_true).astype(y_pred.dtype)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = jnp.squeeze(y_true, -1)
    predicted = jnp.argmax(y_pred, axis=-1).astype(y_true.dtype)
    return (y_true == predicted).astype(config.floatx())


class Accuracy(MeanMetricWrapper):
    """How often predictions equal targets exactly."""

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often thresholded predictions match binary targets.

    Args:
        threshold: predictions above it count as 1.
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the top prediction is the one-hot target's class."""

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the top prediction is the integer target's class."""

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


def _in_top_k(labels, y_pred, k):
    """Whether each integer label's score is among the ``k`` best of its row (ties
    count in its favour; a NaN score never does)."""
    at_label = jnp.take_along_axis(y_pred, labels[:, None], axis=-1)
    at_label = jnp.where(jnp.isnan(at_label), -jnp.inf, at_label)
    return 1 + jnp.sum(y_pred > at_label, axis=-1) <= k


def _flat_scores(y_pred):
    return y_pred.reshape(-1, y_pred.shape[-1]) if y_pred.ndim > 2 else y_pred


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1 where the one-hot target's class is among the ``k`` highest predictions."""
    y_pred = float_predictions(y_pred)
    labels = jnp.argmax(convert_to_tensor(y_true), axis=-1)
    shape = labels.shape
    matches = _in_top_k(labels.reshape(-1).astype(jnp.int32), _flat_scores(y_pred), k)
    return matches.reshape(shape).astype(config.floatx())


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1 where the integer target is among the ``k`` highest predictions.

    With ``from_sorted_ids`` the predictions are class ids sorted by decreasing
    score (a retrieval model's output), and the first ``k`` are compared.
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true)
    shape = y_true.shape
    labels = y_true.reshape(-1)
    scores = _flat_scores(y_pred)
    if from_sorted_ids:
        matches = jnp.any(labels[:, None].astype(scores.dtype) == scores[:, :k], axis=1)
    else:
        matches = _in_top_k(labels.astype(jnp.int32), float_predictions(scores), k)
    return matches.reshape(shape).astype(config.floatx())


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot target's class is among the ``k`` best predictions.

    Args:
        k: how many of the best predictions count.
        name, dtype: see ``Metric``.

    Example:
        >>> model.compile(loss="categorical_crossentropy", metrics=[TopKCategoricalAccuracy(k=3)])
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        _check_k("TopKCategoricalAccuracy", k)
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer target is among the ``k`` best predictions.

    Args:
        k: how many of the best predictions count.
        name, dtype: see ``Metric``.
        from_sorted_ids: predictions are class ids sorted by score.
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False):
        _check_k("SparseTopKCategoricalAccuracy", k)
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k, from_sorted_ids=from_sorted_ids)
        self.k = k
        self.from_sorted_ids = from_sorted_ids


def _check_k(owner, k):
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise ValueError(f"{owner} expected a positive integer for k. Received: k={k!r}")
