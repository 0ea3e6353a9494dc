"""Regression metrics: the means of squared, absolute, percentage, logarithmic and
log-cosh errors, the root mean squared error and the cosine similarity."""

import jax.numpy as jnp

from lamella.losses._utils import prepare
from lamella.losses.regression import (
    l2_normalize,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from lamella.training.reduction_metrics import Mean, MeanMetricWrapper


def cosine_similarity(y_true, y_pred, axis=-1):
    """``sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)``: 1 for the same
    direction (the metric's sign; the loss is its negative)."""
    y_true, y_pred = prepare(y_true, y_pred)
    return jnp.sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), axis=axis)


class MeanSquaredError(MeanMetricWrapper):
    """The mean of squared errors over every sample seen.

    Args:
        name, dtype: see ``Metric``.

    Example:
        >>> metric = MeanSquaredError()
        >>> metric.update_state([[0.0, 1.0]], [[1.0, 1.0]])
        >>> float(metric.result())  # 0.5
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    """The mean of absolute errors over every sample seen."""

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """The mean absolute error in percent of the targets over every sample seen."""

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """The mean squared error of ``log(1 + y)`` over every sample seen."""

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name=name, dtype=dtype)


class LogCoshError(MeanMetricWrapper):
    """The mean of ``log(cosh(error))`` over every sample seen."""

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(log_cosh, name=name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """The mean cosine similarity of targets and predictions (see
    ``cosine_similarity``).

    Args:
        name, dtype: see ``Metric``.
        axis: the axis the vectors lie along.
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)
        self.axis = axis


class RootMeanSquaredError(Mean):
    """``sqrt(mean(square(y_true - y_pred)))`` over every value seen (the root of
    the running mean, not a mean of per-batch roots).

    Args:
        name, dtype: see ``Metric``.
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = prepare(y_true, y_pred)
        super().update_state(jnp.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return jnp.sqrt(super().result())
