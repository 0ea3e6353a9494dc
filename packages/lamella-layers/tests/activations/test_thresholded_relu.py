"""``ThresholdedReLU`` (Keras 2): against a numpy reference (Keras 3 dropped it)."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.parametrize("theta", [0.0, 1.0, 2.5])
def test_thresholded_relu_keeps_only_values_above_theta(random_input, theta):
    x = random_input(4, 6) * 3
    np.testing.assert_array_equal(layers.ThresholdedReLU(theta)(x), np.where(x > theta, x, 0))


def test_thresholded_relu_keeps_the_layer_contract():
    check_layer(layers.ThresholdedReLU, {"theta": 0.5}, input_shape=(2, 3), registered_as="ThresholdedReLU")


@pytest.mark.parametrize("theta", [-1.0, None, "1"])
def test_bad_theta_raises_quoting_it(theta):
    with pytest.raises(ValueError, match=f"ThresholdedReLU expected a non-negative number for theta. Received: theta={theta!r}"):
        layers.ThresholdedReLU(theta)
