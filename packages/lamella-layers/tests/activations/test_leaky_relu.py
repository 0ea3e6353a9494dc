"""``LeakyReLU`` against Keras 3, and Keras 2's ``alpha``."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("slope", [0.3, 0.01, 0.0])
def test_leaky_relu_matches_keras(twins, random_input, slope):
    twins.compare("LeakyReLU", dict(negative_slope=slope), random_input(4, 5), rtol=1e-6, atol=1e-6)


def test_keras_2_alpha_is_the_negative_slope():
    with pytest.warns(UserWarning, match="negative_slope"):
        layer = layers.LeakyReLU(alpha=0.5)
    assert layer.negative_slope == 0.5
    np.testing.assert_allclose(layer(np.array([-2.0, 2.0], np.float32)), [-1.0, 2.0])


def test_leaky_relu_keeps_the_layer_contract():
    check_layer(layers.LeakyReLU, {"negative_slope": 0.2}, input_shape=(2, 3), registered_as="LeakyReLU")


def test_negative_slope_must_be_non_negative():
    with pytest.raises(ValueError, match="LeakyReLU expected a non-negative number for negative_slope"):
        layers.LeakyReLU(-0.1)
