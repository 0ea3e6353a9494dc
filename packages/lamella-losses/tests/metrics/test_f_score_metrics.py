"""F1Score and FBetaScore against Keras 3: every average, thresholds and the
top-score rule, beta, sample weights; errors and configs."""

import numpy as np
import pytest

from lamella import metrics


def _batches(rng, classes=3):
    batches = []
    for index in range(3):
        y_true = np.eye(classes, dtype=np.float32)[rng.integers(0, classes, size=8)]
        y_true[0] = 1.0  # a multi-label row
        y_pred = rng.uniform(size=(8, classes)).astype(np.float32)
        batches.append((y_true, y_pred, None if index != 1 else rng.uniform(0, 2, size=(8,)).astype(np.float32)))
    return batches


@pytest.mark.keras_parity
@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("threshold", [None, 0.4])
def test_f1_score_matches_keras(keras, rng, helpers, average, threshold):
    helpers.check_metric(keras, "F1Score", _batches(rng), rtol=1e-5, average=average, threshold=threshold)


@pytest.mark.keras_parity
@pytest.mark.parametrize("beta", [0.5, 2.0])
def test_fbeta_score_matches_keras(keras, rng, helpers, beta):
    helpers.check_metric(keras, "FBetaScore", _batches(rng), rtol=1e-5, beta=beta, average="macro", threshold=0.5)


def test_f1_is_the_harmonic_mean_of_precision_and_recall(helpers):
    metric = metrics.F1Score(threshold=0.5)
    metric.update_state([[1.0], [1.0], [0.0], [1.0]], [[0.9], [0.2], [0.7], [0.6]])
    precision, recall = 2 / 3, 2 / 3
    helpers.assert_close(metric.result(), [2 * precision * recall / (precision + recall)], rtol=1e-5)


@pytest.mark.parametrize(
    "options, message",
    [({"average": "mean"}, "average='mean'"), ({"beta": 1}, "beta=1"), ({"beta": -1.0}, "beta=-1.0"),
     ({"threshold": 1.5}, "threshold=1.5"), ({"threshold": 1}, "threshold=1")],
)
def test_invalid_arguments_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        metrics.FBetaScore(**options)


def test_inputs_must_be_two_dimensional():
    with pytest.raises(ValueError, match=r"\(batch_size, classes\)"):
        metrics.F1Score().update_state(np.ones(3), np.ones(3))


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls, options", [("F1Score", {"average": "micro", "threshold": 0.3}), ("FBetaScore", {"beta": 2.0, "average": "weighted"})])
def test_configs_round_trip_and_match_keras(keras, helpers, cls, options):
    helpers.check_metric_config(keras, cls, **options)
