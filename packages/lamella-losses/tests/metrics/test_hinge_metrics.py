"""Hinge metrics against Keras 3 over weighted batches, and their configs."""

import numpy as np
import pytest

CLASSES = ("Hinge", "SquaredHinge", "CategoricalHinge")


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls", CLASSES)
def test_hinge_metrics_match_keras(keras, rng, helpers, cls):
    batches = []
    for weight in (None, rng.uniform(0, 2, size=(5,)).astype(np.float32)):
        y_true = np.eye(3, dtype=np.float32)[rng.integers(0, 3, size=5)] if cls == "CategoricalHinge" else rng.choice([-1.0, 1.0], size=(5, 3)).astype(np.float32)
        batches.append((y_true, rng.normal(size=(5, 3)).astype(np.float32), weight))
    helpers.check_metric(keras, cls, batches)
    helpers.check_metric_config(keras, cls)


def test_hinge_metrics_follow_their_formulas_with_sample_weights(rng):
    from lamella import metrics

    y_sign = rng.choice([-1.0, 1.0], size=(4, 3)).astype(np.float32)
    y_onehot = np.eye(3, dtype=np.float32)[[0, 2, 1, 1]]
    y_pred = rng.normal(size=(4, 3)).astype(np.float32)
    weight = np.array([1.0, 0.0, 2.0, 0.5], np.float32)
    per_sample = {
        "Hinge": (y_sign, np.maximum(1 - y_sign * y_pred, 0).mean(-1)),
        "SquaredHinge": (y_sign, (np.maximum(1 - y_sign * y_pred, 0) ** 2).mean(-1)),
        "CategoricalHinge": (y_onehot, np.maximum(
            0, 1 + ((1 - y_onehot) * y_pred).max(-1) - (y_onehot * y_pred).sum(-1))),
    }
    for name, (y_true, values) in per_sample.items():
        metric = getattr(metrics, name)()
        metric.update_state(y_true[:2], y_pred[:2], sample_weight=weight[:2])
        metric.update_state(y_true[2:], y_pred[2:], sample_weight=weight[2:])
        expected = (values * weight).sum() / weight.sum()
        assert float(metric.result()) == pytest.approx(float(expected), rel=1e-5), name
