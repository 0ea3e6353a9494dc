"""``Precision`` and ``Recall`` at thresholds, optionally of one class or of the
top-k predictions."""

from lamella.metrics.confusion_counts import NEG_INF, confusion_counts, divide_no_nan, evenly_spaced, parse_thresholds
from lamella.training.metric import Metric


def _check_options(owner, top_k, class_id):
    for name, value in (("top_k", top_k), ("class_id", class_id)):
        low = 1 if name == "top_k" else 0
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < low):
            raise ValueError(f"{owner} expected an integer >= {low} or None for {name}. Received: {name}={value!r}")


class _PrecisionOrRecall(Metric):
    _other = None  # the count next to the true positives: "false_positives" or "false_negatives"

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        owner = type(self).__name__
        _check_options(owner, top_k, class_id)
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        # With top_k the candidates are the k best, whatever their scores.
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = [default] if thresholds is None else parse_thresholds(owner, thresholds, default)
        self._buckets = evenly_spaced(self.thresholds)
        self.true_positives = self.add_variable((len(self.thresholds),), name="true_positives")
        setattr(self, self._other, self.add_variable((len(self.thresholds),), name=self._other))

    def update_state(self, y_true, y_pred, sample_weight=None):
        tp, fp, _, fn = confusion_counts(
            y_true, y_pred, self.thresholds, sample_weight=sample_weight, top_k=self.top_k,
            class_id=self.class_id, buckets=self._buckets, dtype=self.dtype,
        )
        other = getattr(self, self._other)
        self.true_positives.assign(self.true_positives.value + tp)
        other.assign(other.value + (fp if self._other == "false_positives" else fn))

    def result(self):
        tp = self.true_positives.value
        value = divide_no_nan(tp, tp + getattr(self, self._other).value)
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k, "class_id": self.class_id}


class Precision(_PrecisionOrRecall):
    """``TP / (TP + FP)``: how many of the predicted positives are positive.

    A prediction counts as positive above each threshold; with ``top_k`` only the
    ``k`` best predictions of each sample are candidates, with ``class_id`` only
    that class's column counts.

    Args:
        thresholds: a float or a list of floats in ``[0, 1]`` (default 0.5, or
            every score with ``top_k``); one result per threshold.
        top_k: count only the ``k`` highest predictions of each sample.
        class_id: count only this class (a column of the last axis).
        name, dtype: see ``Metric``.

    Example:
        >>> model.compile(loss="binary_crossentropy", metrics=[Precision(), Recall()])
    """

    _other = "false_positives"


class Recall(_PrecisionOrRecall):
    """``TP / (TP + FN)``: how many of the positives are predicted positive.
    Args as ``Precision``."""

    _other = "false_negatives"
