"""The best value of one rate subject to a constraint on another:
``SensitivityAtSpecificity``, ``SpecificityAtSensitivity``, ``PrecisionAtRecall``
and ``RecallAtPrecision``.

Each counts the confusion matrix at ``num_thresholds`` evenly spaced thresholds
(in buckets, so the cost does not grow with it) and returns the best rate among
the thresholds where the constraint holds (0 if it holds nowhere).
"""

import jax.numpy as jnp

from lamella.metrics.confusion_counts import confusion_counts, divide_no_nan
from lamella.training.metric import Metric


def _check_fraction(owner, name, value):
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"{owner} expected {name} in [0, 1]. Received: {name}={value!r}")


class _RateAtRate(Metric):
    _constraint = None  # the name of the constrained argument

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        owner = type(self).__name__
        _check_fraction(owner, self._constraint, value)
        if not isinstance(num_thresholds, int) or isinstance(num_thresholds, bool) or num_thresholds <= 0:
            raise ValueError(f"{owner} expected a positive integer for num_thresholds. Received: num_thresholds={num_thresholds!r}")
        super().__init__(name=name, dtype=dtype)
        setattr(self, self._constraint, value)
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds, self._buckets = [0.5], False
        else:
            self.thresholds = [i / (num_thresholds - 1) for i in range(num_thresholds)]
            self._buckets = True
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape, name="true_positives")
        self.false_positives = self.add_variable(shape, name="false_positives")
        self.true_negatives = self.add_variable(shape, name="true_negatives")
        self.false_negatives = self.add_variable(shape, name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = confusion_counts(
            y_true, y_pred, self.thresholds, sample_weight=sample_weight, class_id=self.class_id,
            buckets=self._buckets, dtype=self.dtype,
        )
        for variable, count in zip(
            (self.true_positives, self.false_positives, self.true_negatives, self.false_negatives), counts
        ):
            variable.assign(variable.value + count)

    def _rates(self):
        tp, fp, tn, fn = (v.value for v in (self.true_positives, self.false_positives, self.true_negatives, self.false_negatives))
        return {
            "recall": divide_no_nan(tp, tp + fn), "precision": divide_no_nan(tp, tp + fp),
            "specificity": divide_no_nan(tn, tn + fp),
        }

    def _best(self, constrained, dependent):
        feasible = constrained >= self.value
        return jnp.max(jnp.where(feasible, dependent, 0.0), initial=0.0)

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds, self._constraint: self.value, "class_id": self.class_id}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class SensitivityAtSpecificity(_RateAtRate):
    """The best sensitivity (recall) at thresholds whose specificity
    (``TN / (TN + FP)``) is at least ``specificity``.

    Args:
        specificity: in ``[0, 1]``.
        num_thresholds: the number of evenly spaced thresholds in ``[0, 1]``.
        class_id: count only this class.
        name, dtype: see ``Metric``.
    """

    _constraint = "specificity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["specificity"], rates["recall"])


class SpecificityAtSensitivity(_RateAtRate):
    """The best specificity at thresholds whose sensitivity is at least
    ``sensitivity``. Args as ``SensitivityAtSpecificity``, with ``sensitivity``."""

    _constraint = "sensitivity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["recall"], rates["specificity"])


class PrecisionAtRecall(_RateAtRate):
    """The best precision at thresholds whose recall is at least ``recall``.
    Args as ``SensitivityAtSpecificity``, with ``recall``."""

    _constraint = "recall"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["recall"], rates["precision"])


class RecallAtPrecision(_RateAtRate):
    """The best recall at thresholds whose precision is at least ``precision``.
    Args as ``SensitivityAtSpecificity``, with ``precision``."""

    _constraint = "precision"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["precision"], rates["recall"])
