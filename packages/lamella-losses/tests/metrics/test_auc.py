"""AUC against Keras 3: ROC, PR and PR-gain curves, every summation method,
explicit thresholds, multi-label with label weights, logits, sample weights; its
value against the exact area of a ranking, and its state inside compile/fit."""

import numpy as np
import pytest

import lamella
from lamella import metrics


def _batches(rng, shape=(16,), count=3, multi=False):
    batches = []
    for index in range(count):
        y_true = rng.integers(0, 2, size=shape).astype(np.float32)
        # Scores correlated with the targets, so the area is neither 0.5 nor 1.
        y_pred = np.clip(0.35 * y_true + rng.uniform(0, 0.65, size=shape), 0, 1).astype(np.float32)
        weight = [None, rng.uniform(0, 2, size=shape[:1]).astype(np.float32), None][index % 3]
        batches.append((y_true, y_pred, weight))
    return batches


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "options",
    [{}, {"curve": "PR"}, {"curve": "PRGAIN"}, {"summation_method": "minoring"},
     {"curve": "PR", "summation_method": "majoring"}, {"num_thresholds": 7},
     {"thresholds": [0.1, 0.3, 0.5, 0.7, 0.9]}, {"thresholds": [0.2, 0.25, 0.9], "curve": "PR"},
     {"label_weights": [0.5, 1.0, 2.0]}],
    ids=str,
)
def test_auc_matches_keras(keras, rng, helpers, options):
    shape = (8, 3) if "label_weights" in options else (16,)
    helpers.check_metric(keras, "AUC", _batches(rng, shape), rtol=1e-5, atol=1e-6, **options)


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "options",
    [{"multi_label": True}, {"multi_label": True, "num_labels": 3, "curve": "PR"},
     {"multi_label": True, "label_weights": [0.2, 0.3, 0.5]}],
    ids=str,
)
def test_multi_label_auc_matches_keras(keras, rng, helpers, options):
    helpers.check_metric(keras, "AUC", _batches(rng, (8, 3)), rtol=1e-5, atol=1e-6, **options)


@pytest.mark.keras_parity
def test_auc_from_logits_matches_keras(keras, rng, helpers):
    batches = [(t, np.log(p + 1e-3) - np.log(1 - p + 1e-3), w) for t, p, w in _batches(rng)]
    helpers.check_metric(keras, "AUC", batches, rtol=1e-5, atol=1e-6, from_logits=True)


def test_roc_auc_approaches_the_exact_ranking_area(rng):
    y_true = rng.integers(0, 2, size=400)
    y_pred = np.clip(0.3 * y_true + rng.uniform(0, 0.7, size=400), 0, 1).astype(np.float32)
    positives, negatives = y_pred[y_true == 1], y_pred[y_true == 0]
    exact = np.mean(positives[:, None] > negatives[None, :]) + 0.5 * np.mean(positives[:, None] == negatives[None, :])
    metric = metrics.AUC(num_thresholds=1000)
    metric.update_state(y_true, y_pred)
    np.testing.assert_allclose(metric.result(), exact, atol=2e-3)


def test_auc_in_compile_keeps_its_counts_in_the_compiled_step():
    from lamella.testing import Linear, PlainSGD

    rng = np.random.default_rng(3)
    x = rng.normal(size=(64, 3)).astype(np.float32)
    y = (x[:, :1] + 0.3 * rng.normal(size=(64, 1)) > 0).astype(np.float32)
    model = lamella.Sequential([lamella.Input((3,)), Linear(1, activation="sigmoid")])
    model.compile(optimizer=PlainSGD(0.5), loss="binary_crossentropy", metrics=["AUC", metrics.AUC(multi_label=True, name="ml")])
    model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    logs = model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
    reference = metrics.AUC()
    reference.update_state(y, model.predict(x, verbose=0))
    np.testing.assert_allclose(logs["auc"], reference.result(), rtol=1e-5)
    np.testing.assert_allclose(logs["ml"], reference.result(), rtol=1e-5)  # one label
    assert logs["auc"] > 0.8


@pytest.mark.parametrize(
    "options, message",
    [({"curve": "LIFT"}, "curve='LIFT'"), ({"summation_method": "mean"}, "summation_method='mean'"),
     ({"num_thresholds": 1}, "num_thresholds=1"), ({"thresholds": [0.5, 1.5]}, "thresholds"),
     ({"num_labels": 3}, "multi_label")],
)
def test_invalid_auc_arguments_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        metrics.AUC(**options)


def test_multi_label_auc_needs_two_dimensional_predictions():
    with pytest.raises(ValueError, match="multi_label"):
        metrics.AUC(multi_label=True).update_state(np.zeros((2, 3, 1)), np.zeros((2, 3, 1)))


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "options",
    [{"num_thresholds": 50, "curve": "PR", "summation_method": "minoring", "from_logits": True},
     {"thresholds": [0.2, 0.4], "multi_label": True, "num_labels": 2, "label_weights": [1.0, 3.0]}],
)
def test_auc_config_round_trips_and_matches_keras(keras, helpers, options):
    helpers.check_metric_config(keras, "AUC", **options)
