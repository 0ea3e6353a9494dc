"""Hinge losses against Keras 3: {-1, 1} and {0, 1} targets, sample weights,
reductions, configs; the label conversion inside a compiled step."""

import jax
import numpy as np
import pytest

from lamella import losses

NAMES = (("hinge", "Hinge"), ("squared_hinge", "SquaredHinge"), ("categorical_hinge", "CategoricalHinge"))


def _targets(rng, kind, shape):
    if kind == "signed":
        return rng.choice([-1.0, 1.0], size=shape).astype(np.float32)
    if kind == "binary":
        return rng.integers(0, 2, size=shape).astype(np.float32)
    return np.eye(shape[-1], dtype=np.float32)[rng.integers(0, shape[-1], size=shape[:-1])]  # one-hot


@pytest.mark.keras_parity
@pytest.mark.parametrize("function, cls", NAMES)
@pytest.mark.parametrize("kind", ["signed", "binary", "one_hot"])
@pytest.mark.parametrize("shape", [(6, 3), (2, 3, 4)], ids=str)
def test_hinge_losses_match_keras(keras, rng, helpers, function, cls, kind, shape):
    y_true = _targets(rng, kind, shape)
    y_pred = rng.normal(size=shape).astype(np.float32)
    helpers.assert_close(getattr(losses, function)(y_true, y_pred), getattr(keras.losses, function)(y_true, y_pred))
    weight = helpers.sample_weight("full", shape[:-1], rng)
    helpers.check_loss_class(keras, cls, y_true, y_pred, weight)


def test_hinge_formula_and_binary_conversion(helpers):
    y_pred = np.array([[0.3, 0.2, -2.0]], np.float32)
    signed = np.array([[1.0, -1.0, -1.0]], np.float32)
    expected = np.mean(np.maximum(1 - signed * y_pred, 0), -1)
    helpers.assert_close(losses.hinge(signed, y_pred), expected)
    helpers.assert_close(losses.hinge((signed + 1) / 2, y_pred), expected)  # {0, 1} targets
    helpers.assert_close(losses.squared_hinge(signed, y_pred), np.mean(np.maximum(1 - signed * y_pred, 0) ** 2, -1))


def test_binary_target_conversion_happens_on_the_device():
    # Inside jit the targets are traced: the {0, 1} check cannot be a Python if.
    jitted = jax.jit(losses.hinge)
    np.testing.assert_allclose(jitted(np.array([[0.0, 1.0]]), np.array([[0.5, 0.5]])), [1.0], rtol=1e-6)
    np.testing.assert_allclose(jitted(np.array([[0.5, 1.0]]), np.array([[0.5, 0.5]])), [0.625], rtol=1e-6)


def test_categorical_hinge_formula(helpers):
    y_true = np.array([[0.0, 1.0, 0.0]], np.float32)
    y_pred = np.array([[0.8, 0.5, 0.1]], np.float32)
    helpers.assert_close(losses.categorical_hinge(y_true, y_pred), [max(0.8 - 0.5 + 1, 0.0)])


@pytest.mark.keras_parity
@pytest.mark.parametrize("_, cls", NAMES)
def test_config_round_trip(keras, helpers, _, cls):
    helpers.check_loss_config(keras, cls)
