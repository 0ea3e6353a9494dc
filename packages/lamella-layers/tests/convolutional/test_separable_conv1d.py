"""``SeparableConv1D`` against Keras 3."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("config", [
    dict(kernel_size=3),
    dict(kernel_size=2, depth_multiplier=3, strides=2, padding="same", activation="elu"),
], ids=["plain", "multiplier"])
def test_separable_conv1d_matches_keras_with_same_weights(twins, random_input, config, data_format):
    x = random_input(2, 8, 3)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare("SeparableConv1D", dict(filters=4, data_format=data_format, **config), x)


def test_separable_conv1d_keeps_the_layer_contract():
    check_layer(layers.SeparableConv1D, {"filters": 4, "kernel_size": 3}, input_shape=(2, 6, 2),
                expected_output_shape=(2, 4, 4), registered_as="SeparableConv1D")


def test_missing_filters_raise():
    with pytest.raises(ValueError, match="SeparableConv1D expected a positive integer for filters"):
        layers.SeparableConv1D(0, 3)
