"""``GaussianDropout``: multiplicative noise of mean 1 and variance rate/(1-rate)."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("rate", [0.2, 0.5])
def test_noise_statistics_match_keras(keras, rate):
    x = np.full((400, 500), 2.0, np.float32)
    expected_std = 2.0 * np.sqrt(rate / (1 - rate))
    for layer in (layers.GaussianDropout(rate, seed=1), keras.layers.GaussianDropout(rate, seed=1)):
        out = np.asarray(layer(x, training=True))
        assert abs(out.mean() - 2.0) < 0.01 and abs(out.std() - expected_std) / expected_std < 0.01
    np.testing.assert_array_equal(layers.GaussianDropout(rate)(x), x)


def test_gaussian_dropout_keeps_the_layer_contract():
    check_layer(layers.GaussianDropout, {"rate": 0.3, "seed": 2}, input_shape=(2, 3), registered_as="GaussianDropout")


@pytest.mark.parametrize("rate", [1.0, -0.1, "0.2"])
def test_bad_rate_raises_quoting_it(rate):
    with pytest.raises(ValueError, match=f"GaussianDropout expected rate in .0, 1.. Received: rate={rate!r}"):
        layers.GaussianDropout(rate)
