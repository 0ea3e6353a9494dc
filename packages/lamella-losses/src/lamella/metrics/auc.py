"""``AUC``: the area under the ROC or precision-recall curve."""

import jax
import jax.numpy as jnp
import numpy as np

from lamella.backend import config
from lamella.metrics.confusion_counts import confusion_counts, divide_no_nan, evenly_spaced
from lamella.training.metric import Metric

_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "majoring", "minoring")


class AUC(Metric):
    """The area under a curve drawn by the confusion matrix at many thresholds.

    The counts accumulate over batches at ``num_thresholds`` thresholds (evenly
    spaced in ``[0, 1]``, widened by epsilon at both ends so scores of exactly 0
    and 1 are counted); ``result`` sums the area between consecutive thresholds.
    The counting uses fixed-size buckets, so it runs inside the compiled step at a
    cost linear in the batch whatever ``num_thresholds`` is.

    Args:
        num_thresholds: the number of thresholds (> 1); more gives a finer curve.
        curve: ``"ROC"`` (true against false positive rate), ``"PR"`` (precision
            against recall) or ``"PRGAIN"`` (precision gain against recall gain).
        summation_method: ``"interpolation"`` (trapezoids; for PR, the
            interpolation of Davis & Goadrich, 2006), ``"majoring"`` or
            ``"minoring"`` (upper or lower Riemann sums).
        name, dtype: see ``Metric``.
        thresholds: explicit thresholds in ``[0, 1]`` instead of ``num_thresholds``
            (0 and 1, widened, are added).
        multi_label: treat the last axis as independent labels: one curve per
            label, averaged (weighted by ``label_weights``); otherwise every value
            counts as one more sample.
        num_labels: the number of labels with ``multi_label`` (default: taken from
            the first predictions).
        label_weights: per-label weights: of the average with ``multi_label``,
            otherwise of each label's values in the counts.
        from_logits: whether predictions are logits (a sigmoid is applied).

    Example:
        >>> model.compile(loss="binary_crossentropy", metrics=[AUC(), AUC(curve="PR", name="pr_auc")])
    """

    def __init__(
        self, num_thresholds=200, curve="ROC", summation_method="interpolation", name=None, dtype=None,
        thresholds=None, multi_label=False, num_labels=None, label_weights=None, from_logits=False,
    ):
        if not isinstance(curve, str) or curve.lower() not in _CURVES:
            raise ValueError(f"AUC expected curve in ['ROC', 'PR', 'PRGAIN']. Received: curve={curve!r}")
        if not isinstance(summation_method, str) or summation_method.lower() not in _SUMMATIONS:
            raise ValueError(
                f"AUC expected summation_method in {list(_SUMMATIONS)}. Received: summation_method={summation_method!r}"
            )
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
            if any(not 0 <= t <= 1 for t in inner):
                raise ValueError(f"AUC expected thresholds in [0, 1]. Received: thresholds={thresholds!r}")
            num_thresholds = len(inner) + 2
            self._buckets = evenly_spaced(np.array([0.0, *inner, 1.0]))
        else:
            if not isinstance(num_thresholds, int) or isinstance(num_thresholds, bool) or num_thresholds <= 1:
                raise ValueError(f"AUC expected an integer > 1 for num_thresholds. Received: num_thresholds={num_thresholds!r}")
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._buckets = True
        if num_labels is not None and not multi_label:
            raise ValueError("AUC takes num_labels only with multi_label=True.")
        super().__init__(name=name, dtype=dtype)
        eps = config.epsilon()
        self._thresholds = [0.0 - eps, *inner, 1.0 + eps]
        self._init_from_thresholds = thresholds is not None
        self.num_thresholds = num_thresholds
        self.curve = _CURVES[curve.lower()]
        self.summation_method = summation_method.lower()
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else [float(w) for w in np.ravel(label_weights)]
        self.from_logits = from_logits
        self._built = False
        if not multi_label:
            self._create((num_thresholds,))
        elif num_labels:
            self._create((num_thresholds, num_labels))

    @property
    def thresholds(self):
        return list(self._thresholds)

    def _create(self, shape):
        self.true_positives = self.add_variable(shape, name="true_positives")
        self.false_positives = self.add_variable(shape, name="false_positives")
        self.true_negatives = self.add_variable(shape, name="true_negatives")
        self.false_negatives = self.add_variable(shape, name="false_negatives")
        self._built = True

    def build_state(self, y_pred_shape):
        if self._built:
            return
        if len(y_pred_shape) != 2:
            raise ValueError(
                "AUC with multi_label=True expects predictions of shape (batch_size, labels). "
                f"Received: y_pred.shape={tuple(y_pred_shape)}"
            )
        self._create((self.num_thresholds, y_pred_shape[-1]))

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = jnp.asarray(y_pred)
        self.build_state(y_pred.shape)
        if self.from_logits:
            y_pred = jax.nn.sigmoid(y_pred)
        counts = confusion_counts(
            y_true, y_pred, self._thresholds, sample_weight=sample_weight, multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights, buckets=self._buckets, dtype=self.dtype,
        )
        for variable, count in zip(
            (self.true_positives, self.false_positives, self.true_negatives, self.false_negatives), counts
        ):
            variable.assign(variable.value + count)

    def _average_labels(self, per_label):
        if self.label_weights is None:
            return jnp.mean(per_label)
        weights = jnp.asarray(self.label_weights, per_label.dtype)
        return divide_no_nan(jnp.sum(per_label * weights), jnp.sum(weights))

    def _interpolated_pr_auc(self, tp, fp, fn):
        # Davis & Goadrich: precision interpolated along the count of predicted
        # positives between consecutive thresholds, integrated in closed form.
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = divide_no_nan(dtp, jnp.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        ratio = jnp.where((p[:-1] > 0) & (p[1:] > 0), divide_no_nan(p[:-1], jnp.maximum(p[1:], 0)), jnp.ones_like(p[1:]))
        safe_ratio = jnp.where(ratio > 0, ratio, 1.0)
        increments = divide_no_nan(slope * (dtp + intercept * jnp.log(safe_ratio)), jnp.maximum(tp[1:] + fn[1:], 0))
        return increments

    def result(self):
        if not self._built:
            return jnp.zeros((), self.dtype)
        tp, fp, tn, fn = (v.value for v in (self.true_positives, self.false_positives, self.true_negatives, self.false_negatives))
        if self.curve == "PR" and self.summation_method == "interpolation":
            terms = self._interpolated_pr_auc(tp, fp, fn)
        else:
            recall = divide_no_nan(tp, tp + fn)
            if self.curve == "ROC":
                x, y = divide_no_nan(fp, fp + tn), recall
            elif self.curve == "PR":
                x, y = recall, divide_no_nan(tp, tp + fp)
            else:
                scale = divide_no_nan(tp + fn, tn + fp)
                recall_gain = jnp.where(tp == 0, 0.0, 1.0 - scale * divide_no_nan(fn, tp))
                precision_gain = jnp.where(tp == 0, 1.0, 1.0 - scale * divide_no_nan(fp, tp))
                x, y = jnp.maximum(recall_gain, 0.0), precision_gain
            if self.summation_method == "interpolation":
                heights = (y[:-1] + y[1:]) / 2.0
            elif self.summation_method == "minoring":
                heights = jnp.minimum(y[:-1], y[1:])
            else:
                heights = jnp.maximum(y[:-1], y[1:])
            terms = (x[:-1] - x[1:]) * heights
        if self.multi_label:
            return self._average_labels(jnp.sum(terms, axis=0))
        return jnp.sum(terms)

    def get_config(self):
        config = {
            **super().get_config(), "num_thresholds": self.num_thresholds, "curve": self.curve,
            "summation_method": self.summation_method, "multi_label": self.multi_label,
            "num_labels": self.num_labels, "label_weights": self.label_weights, "from_logits": self.from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self._thresholds[1:-1]
        return config
