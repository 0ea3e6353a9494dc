"""``DepthwiseConv1D`` against Keras 3."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("config", [
    dict(kernel_size=3),
    dict(kernel_size=2, depth_multiplier=2, strides=2, padding="same"),
], ids=["plain", "multiplier"])
def test_depthwise_conv1d_matches_keras_with_same_weights(twins, random_input, config, data_format):
    x = random_input(2, 7, 3)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare("DepthwiseConv1D", dict(data_format=data_format, **config), x)


def test_depthwise_conv1d_keeps_the_layer_contract():
    check_layer(layers.DepthwiseConv1D, {"kernel_size": 3}, input_shape=(2, 6, 2),
                expected_output_shape=(2, 4, 2), registered_as="DepthwiseConv1D")


def test_depthwise_conv1d_filters_each_channel_on_its_own():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 5, 2)).astype("float32")
    kernel = rng.normal(size=(3, 2, 1)).astype("float32")
    bias = np.array([0.5, -1.0], "float32")
    layer = layers.DepthwiseConv1D(3)
    layer(x)
    layer.set_weights([kernel, bias])
    expected = np.stack([
        sum(x[:, t + k, :] * kernel[k, :, 0] for k in range(3)) + bias for t in range(3)
    ], axis=1)
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-5, atol=1e-6)
