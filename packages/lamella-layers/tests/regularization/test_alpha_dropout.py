"""``AlphaDropout``: keeps the mean and variance of standardized SELU inputs."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("rate", [0.1, 0.3])
def test_mean_and_variance_are_kept_like_keras(keras, rate):
    x = np.random.default_rng(0).normal(size=(400, 500)).astype(np.float32)
    for layer in (layers.AlphaDropout(rate, seed=1), keras.layers.AlphaDropout(rate, seed=1)):
        out = np.asarray(layer(x, training=True))
        assert abs(out.mean()) < 0.01 and abs(out.std() - 1.0) < 0.01


@pytest.mark.keras_parity
def test_values_are_the_affine_map_of_kept_or_saturated_inputs(keras):
    rate = 0.25
    x = np.random.default_rng(1).normal(size=(50, 40)).astype(np.float32)
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = ((1 - rate) * (1 + rate * alpha_p ** 2)) ** -0.5
    b = -a * alpha_p * rate
    out = np.asarray(layers.AlphaDropout(rate, seed=2)(x, training=True))
    kept = np.isclose(out, a * x + b, rtol=1e-5, atol=1e-6)
    dropped = np.isclose(out, a * alpha_p + b, rtol=1e-5)
    assert (kept | dropped).all() and abs(dropped.mean() - rate) < 0.05
    theirs = np.asarray(keras.layers.AlphaDropout(rate, seed=2)(x, training=True))
    assert (np.isclose(theirs, a * x + b, rtol=1e-5, atol=1e-6) | np.isclose(theirs, a * alpha_p + b, rtol=1e-5)).all()


def test_noise_shape_broadcasts_the_mask():
    out = np.asarray(layers.AlphaDropout(0.5, noise_shape=(None, 1), seed=3)(np.ones((20, 30), np.float32), training=True))
    np.testing.assert_array_equal(out.min(axis=1), out.max(axis=1))


def test_alpha_dropout_keeps_the_layer_contract():
    check_layer(layers.AlphaDropout, {"rate": 0.2, "seed": 2}, input_shape=(2, 3), registered_as="AlphaDropout")
    np.testing.assert_array_equal(layers.AlphaDropout(0.2)(np.ones((1, 2), np.float32)), [[1, 1]])
