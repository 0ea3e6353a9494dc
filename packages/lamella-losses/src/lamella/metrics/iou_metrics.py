"""Intersection-over-union metrics for segmentation and classification: ``IoU``,
``MeanIoU``, ``BinaryIoU``, ``OneHotIoU`` and ``OneHotMeanIoU``.

Each accumulates a ``(num_classes, num_classes)`` confusion matrix (rows: targets,
columns: predictions) by a scatter-add inside the compiled step; the IoU of class
``c`` is ``cm[c, c] / (row c + column c - cm[c, c])``, averaged over the target
classes that occurred.
"""

import warnings

import jax.numpy as jnp

from lamella.backend import config
from lamella.training.metric import Metric


def _check_classes(owner, num_classes):
    if not isinstance(num_classes, int) or isinstance(num_classes, bool) or num_classes < 1:
        raise ValueError(f"{owner} expected a positive integer for num_classes. Received: num_classes={num_classes!r}")


class IoU(Metric):
    """The mean IoU of the classes ``target_class_ids``.

    Args:
        num_classes: the number of classes.
        target_class_ids: the classes whose IoU is averaged.
        name: see ``Metric``.
        dtype: the dtype of the confusion matrix (default int32, as in Keras:
            float sample weights are then truncated; pass ``"float32"`` for
            fractional weights).
        ignore_class: a target class that does not count (void pixels).
        sparse_y_true: targets are class ids (else one-hot or scores along
            ``axis``, reduced by argmax).
        sparse_y_pred: predictions are class ids (else scores along ``axis``).
        axis: the class axis of non-sparse inputs.

    Example:
        >>> metric = IoU(num_classes=2, target_class_ids=[0])
        >>> metric.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> float(metric.result())  # 1 / 3
    """

    def __init__(
        self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
        sparse_y_true=True, sparse_y_pred=True, axis=-1,
    ):
        owner = type(self).__name__
        _check_classes(owner, num_classes)
        target_class_ids = list(target_class_ids)
        if not target_class_ids or max(target_class_ids) >= num_classes or min(target_class_ids) < 0:
            raise ValueError(
                f"{owner} expected target_class_ids in [0, {num_classes}). "
                f"Received: target_class_ids={target_class_ids}"
            )
        super().__init__(name=name, dtype=dtype or "int32")
        self.num_classes = num_classes
        self.target_class_ids = target_class_ids
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable((num_classes, num_classes), name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = jnp.asarray(y_true), jnp.asarray(y_pred)
        if not self.sparse_y_true:
            y_true = jnp.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = jnp.argmax(y_pred, axis=self.axis)
        y_true = y_true.astype(self.dtype).reshape(-1)
        y_pred = y_pred.astype(self.dtype).reshape(-1)
        if sample_weight is None:
            weight = jnp.ones_like(y_true)
        else:
            weight = jnp.asarray(sample_weight)
            if jnp.issubdtype(weight.dtype, jnp.floating) and jnp.issubdtype(jnp.dtype(self.dtype), jnp.integer):
                warnings.warn(
                    f"{type(self).__name__} {self.name!r} accumulates {self.dtype} counts: float "
                    "sample weights are truncated. Use integer weights or dtype='float32'.",
                    stacklevel=2,
                )
            weight = jnp.broadcast_to(weight.astype(self.dtype).reshape(-1) if weight.ndim else weight.astype(self.dtype), y_true.shape)
        # Out-of-range ids (and the ignored class) count nowhere.
        valid = (y_true >= 0) & (y_true < self.num_classes) & (y_pred >= 0) & (y_pred < self.num_classes)
        if self.ignore_class is not None:
            valid = valid & (y_true != self.ignore_class)
        rows = jnp.where(valid, y_true, 0).astype(jnp.int32)
        columns = jnp.where(valid, y_pred, 0).astype(jnp.int32)
        weight = jnp.where(valid, weight, 0)
        matrix = jnp.zeros((self.num_classes, self.num_classes), self.dtype).at[rows, columns].add(weight)
        self.total_cm.assign(self.total_cm.value + matrix)

    def result(self):
        cm = self.total_cm.value.astype(jnp.float32)
        true_positives = jnp.diagonal(cm)
        denominator = jnp.sum(cm, axis=0) + jnp.sum(cm, axis=1) - true_positives
        ids = jnp.asarray(self.target_class_ids, jnp.int32)
        true_positives, denominator = true_positives[ids], denominator[ids]
        valid = denominator > 1e-9
        iou = jnp.where(valid, true_positives / (denominator + config.epsilon()), 0.0)
        return jnp.sum(iou) / (jnp.sum(valid.astype(jnp.float32)) + config.epsilon())

    def get_config(self):
        return {
            **super().get_config(), "num_classes": self.num_classes, "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred, "axis": self.axis,
        }


class MeanIoU(IoU):
    """The mean IoU over all ``num_classes`` classes (those that occurred). Args as
    ``IoU`` without ``target_class_ids``.

    Example:
        >>> model.compile(loss="sparse_categorical_crossentropy", metrics=[MeanIoU(num_classes=3, sparse_y_pred=False)])
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True, sparse_y_pred=True, axis=-1):
        _check_classes("MeanIoU", num_classes)
        super().__init__(
            num_classes, list(range(num_classes)), name=name, dtype=dtype, ignore_class=ignore_class,
            sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis,
        )

    def get_config(self):
        config = super().get_config()
        del config["target_class_ids"]
        return config


class BinaryIoU(IoU):
    """The IoU of binary targets against predictions thresholded at ``threshold``
    (a prediction of at least it is class 1).

    Args:
        target_class_ids: the classes averaged: ``[0]``, ``[1]`` or ``[0, 1]``.
        threshold: the decision threshold.
        name, dtype: see ``IoU``.
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(2, target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        predicted = (jnp.asarray(y_pred).astype(jnp.float32) >= self.threshold).astype(self.dtype)
        super().update_state(y_true, predicted, sample_weight)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "target_class_ids": self.target_class_ids, "threshold": self.threshold}


class OneHotIoU(IoU):
    """``IoU`` for one-hot targets (and score predictions, unless ``sparse_y_pred``).
    Args as ``IoU`` without ``sparse_y_true``."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(
            num_classes, target_class_ids, name=name, dtype=dtype, ignore_class=ignore_class,
            sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis,
        )

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config


class OneHotMeanIoU(MeanIoU):
    """``MeanIoU`` for one-hot targets (and score predictions, unless
    ``sparse_y_pred``). Args as ``MeanIoU`` without ``sparse_y_true``."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(
            num_classes, name=name, dtype=dtype, ignore_class=ignore_class, sparse_y_true=False,
            sparse_y_pred=sparse_y_pred, axis=axis,
        )

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config
