"""``FBetaScore`` and ``F1Score``: harmonic means of precision and recall per class."""

import jax.numpy as jnp

from lamella.backend import config
from lamella.training.metric import Metric

_AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """``(1 + beta**2) * precision * recall / (beta**2 * precision + recall)``.

    Counts accumulate per class (the last axis) over every sample seen. A
    prediction is positive above ``threshold``, or, without one, where it is the
    row's highest (non-zero) score.

    Args:
        average: ``None`` (one score per class), ``"micro"`` (from the counts
            summed over classes), ``"macro"`` (the mean of the classes' scores) or
            ``"weighted"`` (weighted by each class's number of positive targets).
        beta: a positive float; recall counts ``beta`` times as much as precision.
        threshold: a float in ``(0, 1]``, or ``None`` (the top score).
        name, dtype: see ``Metric``.

    Input shape:
        ``(batch_size, classes)`` targets and predictions.

    Example:
        >>> FBetaScore(beta=2.0, threshold=0.5, average="macro")
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        owner = type(self).__name__
        if average not in _AVERAGES:
            raise ValueError(f"{owner} expected average in {_AVERAGES}. Received: average={average!r}")
        if not isinstance(beta, float) or beta <= 0.0:
            raise ValueError(f"{owner} expected a positive float for beta. Received: beta={beta!r}")
        if threshold is not None and (not isinstance(threshold, float) or not 0.0 < threshold <= 1.0):
            raise ValueError(f"{owner} expected a float in (0, 1] or None for threshold. Received: threshold={threshold!r}")
        super().__init__(name=name, dtype=dtype)
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def build_state(self, y_pred_shape):
        if self._built:
            return
        if len(y_pred_shape) != 2 or y_pred_shape[-1] is None:
            raise ValueError(
                f"{type(self).__name__} expects inputs of shape (batch_size, classes). "
                f"Received: y_pred.shape={tuple(y_pred_shape)}"
            )
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        self.true_positives = self.add_variable(shape, name="true_positives")
        self.false_positives = self.add_variable(shape, name="false_positives")
        self.false_negatives = self.add_variable(shape, name="false_negatives")
        self.intermediate_weights = self.add_variable(shape, name="intermediate_weights")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = jnp.asarray(y_true).astype(self.dtype)
        y_pred = jnp.asarray(y_pred).astype(self.dtype)
        if y_true.ndim != 2:
            raise ValueError(
                f"{type(self).__name__} expects inputs of shape (batch_size, classes). "
                f"Received: y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}"
            )
        self.build_state(y_pred.shape)
        if self.threshold is None:
            top = jnp.max(y_pred, axis=-1, keepdims=True)
            predicted = (y_pred >= top) & (jnp.abs(y_pred) > 1e-9)
        else:
            predicted = y_pred > self.threshold
        predicted = predicted.astype(self.dtype)
        weight = None if sample_weight is None else jnp.asarray(sample_weight).astype(self.dtype)

        def total(values):
            if weight is not None:
                values = values * jnp.expand_dims(weight, 1)
            return jnp.sum(values, axis=self.axis)

        self.true_positives.assign(self.true_positives.value + total(predicted * y_true))
        self.false_positives.assign(self.false_positives.value + total(predicted * (1 - y_true)))
        self.false_negatives.assign(self.false_negatives.value + total((1 - predicted) * y_true))
        self.intermediate_weights.assign(self.intermediate_weights.value + total(y_true))

    def result(self):
        if not self._built:
            return jnp.zeros((), self.dtype)
        eps = config.epsilon()
        tp = self.true_positives.value
        precision = tp / (tp + self.false_positives.value + eps)
        recall = tp / (tp + self.false_negatives.value + eps)
        beta2 = self.beta**2
        score = (1 + beta2) * precision * recall / (beta2 * precision + recall + eps)
        if self.average == "weighted":
            weights = self.intermediate_weights.value
            return jnp.sum(score * weights / (jnp.sum(weights) + eps))
        if self.average is not None:
            return jnp.mean(score)
        return score

    def get_config(self):
        return {**super().get_config(), "average": self.average, "beta": self.beta, "threshold": self.threshold}


class F1Score(FBetaScore):
    """The F1 score, ``2 * precision * recall / (precision + recall)``: the F-beta
    score with ``beta = 1``. Args: ``average``, ``threshold``, ``name``, ``dtype``
    (see ``FBetaScore``)."""

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
