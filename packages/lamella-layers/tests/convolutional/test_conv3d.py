"""``Conv3D`` against Keras 3."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lamella import layers
from lamella.testing import check_layer

CONFIGS = [
    dict(kernel_size=2),
    dict(kernel_size=(3, 1, 2), strides=2, padding="same"),
    dict(kernel_size=2, dilation_rate=(1, 2, 1), groups=2, activation="relu"),
]


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("config", CONFIGS, ids=[str(i) for i in range(len(CONFIGS))])
def test_conv3d_matches_keras_with_same_weights(twins, random_input, config, data_format):
    x = random_input(2, 4, 5, 4, 2)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare("Conv3D", dict(filters=4, data_format=data_format, **config), x)


@pytest.mark.keras_parity
def test_conv3d_gradients_match_keras(twins, random_input):
    twins.compare_gradients("Conv3D", dict(filters=2, kernel_size=2), random_input(1, 3, 4, 3, 2))


def test_conv3d_keeps_the_layer_contract():
    check_layer(layers.Conv3D, {"filters": 2, "kernel_size": 2}, input_shape=(1, 3, 3, 3, 1),
                expected_output_shape=(1, 2, 2, 2, 2), registered_as="Conv3D")


@settings(max_examples=10, deadline=None)
@given(size=st.tuples(*[st.integers(3, 6)] * 3), kernel=st.integers(1, 3), stride=st.integers(1, 2),
       padding=st.sampled_from(["valid", "same"]))
def test_compute_output_shape_matches_the_actual_output(size, kernel, stride, padding):
    layer = layers.Conv3D(2, kernel, strides=stride, padding=padding)
    out = layer(np.ones((1, *size, 1), np.float32))
    assert layer.compute_output_shape((1, *size, 1)) == tuple(out.shape)


def test_bad_kernel_size_raises_naming_it():
    with pytest.raises(ValueError, match=r"Conv3D expected kernel_size.*Received: kernel_size=\(2, 2\)"):
        layers.Conv3D(2, (2, 2))
