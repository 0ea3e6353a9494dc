"""``GaussianNoise``: noise statistics in training, identity otherwise."""

import numpy as np
import pytest

import lamella
from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
def test_noise_has_the_requested_deviation_like_keras(keras):
    x = np.full((400, 500), 3.0, np.float32)
    ours = np.asarray(layers.GaussianNoise(0.5, seed=1)(x, training=True)) - x
    theirs = np.asarray(keras.layers.GaussianNoise(0.5, seed=1)(x, training=True)) - x
    for noise in (ours, theirs):
        assert abs(noise.mean()) < 0.005 and abs(noise.std() - 0.5) < 0.005
    np.testing.assert_array_equal(layers.GaussianNoise(0.5)(x), x)


def test_predict_is_noise_free_and_fit_sees_noise():
    x = np.ones((64, 4), np.float32)
    model = lamella.Sequential([lamella.Input((4,)), layers.GaussianNoise(1.0, seed=0)])
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)
    assert not np.allclose(model(x, training=True), x)


def test_gaussian_noise_keeps_the_layer_contract():
    check_layer(layers.GaussianNoise, {"stddev": 0.1, "seed": 2}, input_shape=(2, 3), registered_as="GaussianNoise")


@pytest.mark.parametrize("stddev", [-1.0, "0.1", None])
def test_bad_stddev_raises_quoting_it(stddev):
    with pytest.raises(ValueError, match=f"GaussianNoise expected a non-negative number for stddev. Received: stddev={stddev!r}"):
        layers.GaussianNoise(stddev)
