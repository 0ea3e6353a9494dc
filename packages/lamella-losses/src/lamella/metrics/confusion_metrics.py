"""Counts of the confusion matrix at thresholds: ``TruePositives``,
``FalsePositives``, ``TrueNegatives`` and ``FalseNegatives``."""

from lamella.metrics.confusion_counts import confusion_counts, evenly_spaced, parse_thresholds
from lamella.training.metric import Metric

_INDEX = {"tp": 0, "fp": 1, "tn": 2, "fn": 3}


class _ConfusionCount(Metric):
    """One count of the confusion matrix per threshold."""

    _count = None  # "tp", "fp", "tn" or "fn"

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = parse_thresholds(type(self).__name__, thresholds, 0.5)
        self._buckets = evenly_spaced(self.thresholds)
        self.accumulator = self.add_variable((len(self.thresholds),), name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = confusion_counts(
            y_true, y_pred, self.thresholds, sample_weight=sample_weight, buckets=self._buckets, dtype=self.dtype
        )
        self.accumulator.assign(self.accumulator.value + counts[_INDEX[self._count]])

    def result(self):
        value = self.accumulator.value
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionCount):
    """The (weighted) number of positive targets predicted above each threshold.

    Args:
        thresholds: a float or a list of floats in ``[0, 1]`` (default 0.5); the
            result has one count per threshold (a scalar for one).
        name, dtype: see ``Metric``.

    Example:
        >>> metric = TruePositives()
        >>> metric.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> float(metric.result())  # 2.0
    """

    _count = "tp"


class FalsePositives(_ConfusionCount):
    """The (weighted) number of negative targets predicted above each threshold.
    Args: ``thresholds``, ``name``, ``dtype`` (see ``TruePositives``)."""

    _count = "fp"


class TrueNegatives(_ConfusionCount):
    """The (weighted) number of negative targets predicted at or below each
    threshold. Args: ``thresholds``, ``name``, ``dtype`` (see ``TruePositives``)."""

    _count = "tn"


class FalseNegatives(_ConfusionCount):
    """The (weighted) number of positive targets predicted at or below each
    threshold. Args: ``thresholds``, ``name``, ``dtype`` (see ``TruePositives``)."""

    _count = "fn"
