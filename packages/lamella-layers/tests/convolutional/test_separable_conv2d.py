"""``SeparableConv2D`` against Keras 3, and against its two steps done by hand."""

import json

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer

CONFIGS = [
    dict(kernel_size=3),
    dict(kernel_size=3, depth_multiplier=2, strides=2, padding="same"),
    dict(kernel_size=(2, 3), dilation_rate=2, use_bias=False, activation="relu"),
]


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("config", CONFIGS, ids=[str(i) for i in range(len(CONFIGS))])
def test_separable_conv2d_matches_keras_with_same_weights(twins, random_input, config, data_format):
    x = random_input(2, 7, 6, 3)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare("SeparableConv2D", dict(filters=5, data_format=data_format, **config), x)


@pytest.mark.keras_parity
def test_separable_conv2d_gradients_match_keras(twins, random_input):
    twins.compare_gradients("SeparableConv2D", dict(filters=3, kernel_size=2, depth_multiplier=2),
                            random_input(2, 4, 4, 2))


def test_it_is_a_depthwise_then_a_pointwise_convolution(random_input):
    x = random_input(2, 6, 6, 3)
    separable = layers.SeparableConv2D(4, 3, depth_multiplier=2)
    depthwise = layers.DepthwiseConv2D(3, depth_multiplier=2, use_bias=False)
    pointwise = layers.Conv2D(4, 1)
    separable.build(x.shape)
    depthwise.build(x.shape)
    pointwise.build((2, 4, 4, 6))
    depth_kernel, point_kernel, bias = separable.get_weights()
    depthwise.set_weights([depth_kernel])
    pointwise.set_weights([point_kernel, bias])
    np.testing.assert_allclose(separable(x), pointwise(depthwise(x)), rtol=1e-5, atol=1e-5)
    assert point_kernel.shape == (1, 1, 6, 4)


def test_separable_conv2d_keeps_the_layer_contract():
    check_layer(layers.SeparableConv2D, {"filters": 4, "kernel_size": 3, "padding": "same"},
                input_shape=(2, 5, 5, 2), expected_output_shape=(2, 5, 5, 4),
                expected_num_trainable_weights=3, registered_as="SeparableConv2D")


@pytest.mark.keras_parity
def test_config_keys_match_keras(keras):
    ours = json.loads(json.dumps(layers.SeparableConv2D(4, 3, depth_multiplier=2).get_config()))
    theirs = keras.layers.SeparableConv2D(4, 3, depth_multiplier=2).get_config()
    assert set(ours) == set(theirs)
    assert ours["depth_multiplier"] == 2 and ours["filters"] == 4


def test_bad_depth_multiplier_raises_naming_it():
    with pytest.raises(ValueError, match="SeparableConv2D.*depth_multiplier=0"):
        layers.SeparableConv2D(4, 3, depth_multiplier=0)
