"""Crossentropy, KL divergence and Poisson metrics against Keras 3 over weighted
batches, ignore_class, configs."""

import numpy as np
import pytest

from lamella import metrics


def _probabilities(rng, shape):
    p = rng.uniform(0.05, 1.0, size=shape).astype(np.float32)
    return p / p.sum(-1, keepdims=True)


def _batches(rng, cls):
    batches = []
    for weight in (None, rng.uniform(0, 2, size=(6,)).astype(np.float32), rng.uniform(0, 2, size=(6, 1)).astype(np.float32)):
        if cls == "BinaryCrossentropy":
            y_true, y_pred = rng.integers(0, 2, size=(6, 2)).astype(np.float32), rng.uniform(0.01, 0.99, size=(6, 2)).astype(np.float32)
        elif cls == "SparseCategoricalCrossentropy":
            y_true, y_pred = rng.integers(0, 4, size=(6,)), _probabilities(rng, (6, 4))
        elif cls == "Poisson":
            y_true, y_pred = rng.integers(0, 4, size=(6, 3)).astype(np.float32), rng.uniform(0.1, 3, size=(6, 3)).astype(np.float32)
        else:
            y_true, y_pred = _probabilities(rng, (6, 4)), _probabilities(rng, (6, 4))
            if cls == "CategoricalCrossentropy":
                y_true = np.eye(4, dtype=np.float32)[rng.integers(0, 4, size=6)]
        batches.append((y_true, y_pred, weight))
    return batches


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "cls, options",
    [("BinaryCrossentropy", {}), ("BinaryCrossentropy", {"label_smoothing": 0.2}), ("CategoricalCrossentropy", {}),
     ("CategoricalCrossentropy", {"label_smoothing": 0.1}), ("SparseCategoricalCrossentropy", {}),
     ("KLDivergence", {}), ("Poisson", {})],
    ids=str,
)
def test_probabilistic_metrics_match_keras(keras, rng, helpers, cls, options):
    helpers.check_metric(keras, cls, _batches(rng, cls), rtol=1e-5, **options)


@pytest.mark.keras_parity
def test_from_logits_matches_keras(keras, rng, helpers):
    batches = [(t, np.log(p), w) for t, p, w in _batches(rng, "CategoricalCrossentropy")]
    helpers.check_metric(keras, "CategoricalCrossentropy", batches, rtol=1e-5, from_logits=True)


def test_ignored_targets_leave_the_mean(helpers):
    metric = metrics.SparseCategoricalCrossentropy(ignore_class=-1)
    y_pred = np.array([[0.5, 0.5], [0.9, 0.1], [0.2, 0.8]], np.float32)
    metric.update_state([0, -1, 1], y_pred)
    helpers.assert_close(metric.result(), (-np.log(0.5) - np.log(0.8)) / 2, rtol=1e-5)
    metric.update_state([-1], y_pred[:1], sample_weight=[3.0])  # weighs nothing
    helpers.assert_close(metric.result(), (-np.log(0.5) - np.log(0.8)) / 2, rtol=1e-5)


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "cls, options",
    [("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}),
     ("CategoricalCrossentropy", {"label_smoothing": 0.2, "axis": 1}),
     ("SparseCategoricalCrossentropy", {"ignore_class": 0, "from_logits": True}), ("KLDivergence", {}), ("Poisson", {})],
)
def test_configs_round_trip_and_match_keras(keras, helpers, cls, options):
    helpers.check_metric_config(keras, cls, **options)
