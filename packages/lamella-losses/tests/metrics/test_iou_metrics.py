"""IoU, MeanIoU, BinaryIoU, OneHotIoU and OneHotMeanIoU against Keras 3:
segmentation maps, ignored and out-of-range classes, weights; the formula."""

import numpy as np
import pytest

from lamella import metrics


def _sparse_batches(rng, classes=3, shape=(2, 4, 4)):
    batches = []
    for index in range(3):
        y_true = rng.integers(0, classes, size=shape)
        y_pred = rng.integers(0, classes, size=shape)
        y_true.reshape(-1)[0] = classes  # out of range: counts nowhere
        weight = None if index != 1 else rng.integers(0, 3, size=shape)
        batches.append((y_true, y_pred, weight))
    return batches


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "cls, options",
    [("IoU", {"num_classes": 3, "target_class_ids": [0, 2]}), ("MeanIoU", {"num_classes": 3}),
     ("MeanIoU", {"num_classes": 3, "ignore_class": 1}), ("IoU", {"num_classes": 3, "target_class_ids": [1], "dtype": "float32"})],
    ids=str,
)
def test_sparse_iou_metrics_match_keras(keras, rng, helpers, cls, options):
    helpers.check_metric(keras, cls, _sparse_batches(rng), rtol=1e-6, **options)


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls, options", [("OneHotIoU", {"num_classes": 3, "target_class_ids": [0, 1]}), ("OneHotMeanIoU", {"num_classes": 3})])
def test_one_hot_iou_metrics_match_keras(keras, rng, helpers, cls, options):
    batches = [
        (np.eye(3, dtype=np.float32)[rng.integers(0, 3, size=10)], rng.uniform(size=(10, 3)).astype(np.float32), w)
        for w in (None, rng.integers(0, 3, size=10), None)
    ]
    helpers.check_metric(keras, cls, batches, **options)


@pytest.mark.keras_parity
@pytest.mark.parametrize("options", [{}, {"target_class_ids": [1], "threshold": 0.3}])
def test_binary_iou_matches_keras(keras, rng, helpers, options):
    batches = [(rng.integers(0, 2, size=(12,)), rng.uniform(size=(12,)).astype(np.float32), w) for w in (None, rng.integers(0, 3, size=12))]
    helpers.check_metric(keras, "BinaryIoU", batches, **options)


def test_iou_formula(helpers):
    metric = metrics.IoU(num_classes=2, target_class_ids=[0, 1])
    metric.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    # class 0: TP 1, row 2, column 2 -> 1/3; class 1 alike.
    helpers.assert_close(metric.result(), 1 / 3, rtol=1e-6)
    helpers.assert_close(metric.total_cm.numpy(), [[1, 1], [1, 1]])


def test_float_weights_with_an_integer_matrix_warn():
    with pytest.warns(UserWarning, match="truncated"):
        metrics.MeanIoU(num_classes=2).update_state([0, 1], [0, 1], sample_weight=np.array([0.5, 1.5], np.float32))


@pytest.mark.parametrize(
    "call, message",
    [(lambda: metrics.IoU(num_classes=2, target_class_ids=[2]), "target_class_ids"),
     (lambda: metrics.MeanIoU(num_classes=0), "num_classes=0")],
)
def test_invalid_arguments_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "cls, options",
    [("IoU", {"num_classes": 4, "target_class_ids": [1, 3], "ignore_class": 0, "sparse_y_pred": False}),
     ("MeanIoU", {"num_classes": 3, "axis": 1}), ("BinaryIoU", {"target_class_ids": [0], "threshold": 0.7}),
     ("OneHotIoU", {"num_classes": 3, "target_class_ids": [2]}), ("OneHotMeanIoU", {"num_classes": 5, "sparse_y_pred": True})],
)
def test_configs_round_trip_and_match_keras(keras, helpers, cls, options):
    helpers.check_metric_config(keras, cls, **options)
