"""``DepthwiseConv2D`` against Keras 3, and channel independence."""

import json

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer

CONFIGS = [
    dict(kernel_size=3),
    dict(kernel_size=3, depth_multiplier=2, strides=2, padding="same"),
    dict(kernel_size=(3, 2), dilation_rate=2, use_bias=False, activation="relu"),
]


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("config", CONFIGS, ids=[str(i) for i in range(len(CONFIGS))])
def test_depthwise_conv2d_matches_keras_with_same_weights(twins, random_input, config, data_format):
    x = random_input(2, 7, 6, 3)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare("DepthwiseConv2D", dict(data_format=data_format, **config), x)


@pytest.mark.keras_parity
def test_depthwise_conv2d_gradients_match_keras(twins, random_input):
    twins.compare_gradients("DepthwiseConv2D", dict(kernel_size=2, depth_multiplier=2), random_input(2, 4, 4, 2))


def test_output_channel_c_times_m_plus_k_sees_only_input_channel_c(random_input):
    x = random_input(1, 5, 5, 3)
    layer = layers.DepthwiseConv2D(3, depth_multiplier=2, use_bias=False)
    base = np.asarray(layer(x))
    changed = x.copy()
    changed[..., 1] += 1.0
    diff = np.abs(np.asarray(layer(changed)) - base).max(axis=(0, 1, 2))
    assert diff[2] > 0 and diff[3] > 0
    np.testing.assert_array_equal(diff[[0, 1, 4, 5]], 0)


def test_depthwise_conv2d_keeps_the_layer_contract():
    check_layer(layers.DepthwiseConv2D, {"kernel_size": 2, "depth_multiplier": 2},
                input_shape=(2, 4, 4, 3), expected_output_shape=(2, 3, 3, 6), registered_as="DepthwiseConv2D")


@pytest.mark.keras_parity
def test_config_keys_match_keras(keras):
    ours = json.loads(json.dumps(layers.DepthwiseConv2D(3).get_config()))
    assert set(ours) == set(keras.layers.DepthwiseConv2D(3).get_config())
