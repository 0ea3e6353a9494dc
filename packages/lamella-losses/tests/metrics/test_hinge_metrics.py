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
