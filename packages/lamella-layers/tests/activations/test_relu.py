"""``ReLU`` against Keras 3: caps, slopes, thresholds."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("config", [
    dict(), dict(max_value=6.0), dict(negative_slope=0.1), dict(threshold=0.5),
    dict(max_value=1.5, negative_slope=0.2, threshold=0.5),
])
def test_relu_matches_keras(twins, random_input, config):
    twins.compare("ReLU", config, random_input(4, 5) * 3, rtol=1e-6, atol=1e-6)


@pytest.mark.keras_parity
def test_relu_gradients_match_keras(twins, random_input):
    twins.compare_gradients("ReLU", dict(max_value=2.0, negative_slope=0.3, threshold=0.1), random_input(3, 4) * 2)


def test_relu_keeps_the_layer_contract():
    check_layer(layers.ReLU, {"max_value": 6.0}, input_shape=(2, 3), registered_as="ReLU")


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(max_value=-1.0), "max_value=-1.0"), (dict(negative_slope=-0.1), "negative_slope=-0.1"),
    (dict(threshold=None), "threshold=None"), (dict(threshold=-0.5), "threshold=-0.5"),
])
def test_bad_arguments_raise_quoting_them(kwargs, fragment):
    with pytest.raises(ValueError, match="ReLU") as error:
        layers.ReLU(**kwargs)
    assert fragment in str(error.value)
