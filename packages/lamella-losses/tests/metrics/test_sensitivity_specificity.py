"""SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall and
RecallAtPrecision against Keras 3, and their meaning on a hand-made ranking."""

import numpy as np
import pytest

from lamella import metrics

CLASSES = (
    ("SensitivityAtSpecificity", "specificity"), ("SpecificityAtSensitivity", "sensitivity"),
    ("PrecisionAtRecall", "recall"), ("RecallAtPrecision", "precision"),
)


def _batches(rng, shape=(12,)):
    batches = []
    for index in range(3):
        y_true = rng.integers(0, 2, size=shape).astype(np.float32)
        y_pred = np.clip(0.3 * y_true + rng.uniform(0, 0.7, size=shape), 0, 1).astype(np.float32)
        batches.append((y_true, y_pred, None if index != 1 else rng.uniform(0, 2, size=shape[:1]).astype(np.float32)))
    return batches


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls, argument", CLASSES)
@pytest.mark.parametrize("value, options", [(0.5, {}), (0.8, {"num_thresholds": 11}), (0.3, {"num_thresholds": 1})])
def test_rate_at_rate_metrics_match_keras(keras, rng, helpers, cls, argument, value, options):
    helpers.check_metric(keras, cls, _batches(rng), **{argument: value}, **options)


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls, argument", CLASSES[:2])
def test_class_id_matches_keras(keras, rng, helpers, cls, argument):
    helpers.check_metric(keras, cls, _batches(rng, (6, 3)), class_id=2, **{argument: 0.6})


def test_precision_at_recall_on_a_ranking(helpers):
    # Scores 0.9 (pos), 0.8 (neg), 0.7 (pos), 0.2 (pos): recall >= 0.6 holds with the
    # top three (precision 2/3) and with all four (precision 3/4, the best).
    metric = metrics.PrecisionAtRecall(recall=0.6, num_thresholds=101)
    metric.update_state([1, 0, 1, 1], [0.9, 0.8, 0.7, 0.2])
    helpers.assert_close(metric.result(), 3 / 4, rtol=1e-6)
    unreachable = metrics.RecallAtPrecision(precision=1.0, num_thresholds=101)
    unreachable.update_state([0, 1], [0.9, 0.1])
    helpers.assert_close(unreachable.result(), 0.0)


@pytest.mark.parametrize("cls, argument", CLASSES)
def test_out_of_range_constraints_are_refused(cls, argument):
    with pytest.raises(ValueError, match=argument):
        getattr(metrics, cls)(**{argument: 1.5})
    with pytest.raises(ValueError, match="num_thresholds=0"):
        getattr(metrics, cls)(**{argument: 0.5}, num_thresholds=0)


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls, argument", CLASSES)
def test_configs_round_trip_and_match_keras(keras, helpers, cls, argument):
    helpers.check_metric_config(keras, cls, **{argument: 0.4}, num_thresholds=20, class_id=1)
