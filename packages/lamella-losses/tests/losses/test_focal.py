"""Focal crossentropies against Keras 3: gamma, alpha, class balancing, logits,
label smoothing, axes, sample weights and reductions; the gamma=0 limit."""

import numpy as np
import pytest

from lamella import losses


def _probabilities(rng, shape):
    p = rng.uniform(0.05, 1.0, size=shape).astype(np.float32)
    return p / p.sum(-1, keepdims=True)


BINARY_OPTIONS = [
    {}, {"gamma": 0.5}, {"apply_class_balancing": True, "alpha": 0.7}, {"from_logits": True},
    {"label_smoothing": 0.2, "gamma": 3.0}, {"axis": 0, "from_logits": True, "apply_class_balancing": True},
]


@pytest.mark.keras_parity
@pytest.mark.parametrize("options", BINARY_OPTIONS, ids=str)
def test_binary_focal_crossentropy_matches_keras(keras, rng, helpers, options):
    y_true = rng.integers(0, 2, size=(5, 3)).astype(np.float32)
    y_pred = rng.normal(size=(5, 3)).astype(np.float32) if options.get("from_logits") else rng.uniform(0.01, 0.99, size=(5, 3)).astype(np.float32)
    helpers.assert_close(
        losses.binary_focal_crossentropy(y_true, y_pred, **options),
        keras.losses.binary_focal_crossentropy(y_true, y_pred, **options),
    )
    values_shape = (3,) if options.get("axis") == 0 else (5,)
    helpers.check_loss_class(keras, "BinaryFocalCrossentropy", y_true, y_pred, helpers.sample_weight("full", values_shape, rng), **options)


CATEGORICAL_OPTIONS = [
    {}, {"gamma": 0.0, "alpha": 1.0}, {"alpha": [0.2, 0.3, 0.5, 1.0]}, {"from_logits": True},
    {"label_smoothing": 0.1, "gamma": 1.5}, {"from_logits": True, "label_smoothing": 0.3, "alpha": 0.5},
]


@pytest.mark.keras_parity
@pytest.mark.parametrize("options", CATEGORICAL_OPTIONS, ids=str)
def test_categorical_focal_crossentropy_matches_keras(keras, rng, helpers, options):
    y_true = np.eye(4, dtype=np.float32)[rng.integers(0, 4, size=6)]
    y_pred = rng.normal(size=(6, 4)).astype(np.float32) if options.get("from_logits") else _probabilities(rng, (6, 4))
    helpers.assert_close(
        losses.categorical_focal_crossentropy(y_true, y_pred, **options),
        keras.losses.categorical_focal_crossentropy(y_true, y_pred, **options),
    )
    helpers.check_loss_class(keras, "CategoricalFocalCrossentropy", y_true, y_pred, helpers.sample_weight("batch", (6,), rng), **options)


def test_gamma_0_gives_the_plain_crossentropies(rng, helpers):
    y_true = rng.integers(0, 2, size=(5, 3)).astype(np.float32)
    y_pred = rng.uniform(0.01, 0.99, size=(5, 3)).astype(np.float32)
    helpers.assert_close(
        losses.binary_focal_crossentropy(y_true, y_pred, gamma=0.0),
        losses.binary_crossentropy(y_true, y_pred), rtol=1e-5,
    )
    one_hot = np.eye(4, dtype=np.float32)[rng.integers(0, 4, size=6)]
    p = _probabilities(rng, (6, 4))
    helpers.assert_close(
        losses.categorical_focal_crossentropy(one_hot, p, gamma=0.0, alpha=1.0),
        losses.categorical_crossentropy(one_hot, p), rtol=1e-5,
    )


def test_focal_factor_down_weights_easy_examples(helpers):
    # An easy positive (p = 0.9) loses 100x more of its loss than a hard one (p = 0.1)
    # relative to the crossentropy with gamma = 2: (0.1 / 0.9) ** 2 apart.
    y_true = np.array([[1.0], [1.0]], np.float32)
    y_pred = np.array([[0.9], [0.1]], np.float32)
    ratio = np.asarray(losses.binary_focal_crossentropy(y_true, y_pred)) / np.asarray(losses.binary_crossentropy(y_true, y_pred))
    helpers.assert_close(ratio, [0.1**2, 0.9**2], rtol=1e-5)


@pytest.mark.parametrize("cls", ["BinaryFocalCrossentropy", "CategoricalFocalCrossentropy"])
def test_negative_gamma_is_refused(cls):
    with pytest.raises(ValueError, match="gamma=-1"):
        getattr(losses, cls)(gamma=-1)


def test_binary_alpha_outside_0_1_is_refused():
    with pytest.raises(ValueError, match="alpha=1.5"):
        losses.BinaryFocalCrossentropy(alpha=1.5)


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "cls, options",
    [("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.0, "from_logits": True, "label_smoothing": 0.1, "axis": 0}),
     ("CategoricalFocalCrossentropy", {"alpha": [0.1, 0.9], "gamma": 3.0, "from_logits": True, "label_smoothing": 0.2, "axis": -1})],
)
def test_config_round_trip(keras, helpers, cls, options):
    helpers.check_loss_config(keras, cls, **options)
