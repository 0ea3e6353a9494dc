"""``AveragePooling2D`` against Keras 3, including border windows of 'same' padding."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lamella import layers
from lamella.testing import check_layer

SHAPE = (2, 7, 6, 3)


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("config", [
    dict(pool_size=2),
    dict(pool_size=3, strides=1),
    dict(pool_size=3, strides=2, padding="same"),
    dict(pool_size=(2, 4), padding="same"),
], ids=["default", "overlapping", "same", "uneven"])
def test_average_pooling2d_matches_keras(twins, random_input, config, data_format):
    x = random_input(*SHAPE)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare("AveragePooling2D", dict(data_format=data_format, **config), x, rtol=1e-6, atol=1e-6)


def test_same_padding_averages_only_real_inputs():
    x = np.arange(1.0, 6.0, dtype=np.float32).reshape((1, 5) + (1,) * 1 + (1,))
    out = np.asarray(layers.AveragePooling2D(pool_size=2, padding="same")(x))
    # Along the first axis, the last window covers only the fifth value.
    assert out.reshape(-1)[-1] == 5.0
    np.testing.assert_allclose(out.reshape(-1), [1.5, 3.5, 5.0])


@pytest.mark.keras_parity
def test_average_pooling2d_gradients_match_keras(twins, random_input):
    twins.compare_gradients("AveragePooling2D", dict(pool_size=2, strides=1, padding="same"), random_input(*SHAPE))


def test_average_pooling2d_keeps_the_layer_contract():
    check_layer(layers.AveragePooling2D, {"pool_size": 2}, input_shape=SHAPE, registered_as="AveragePooling2D")


@settings(max_examples=12, deadline=None)
@given(size=st.integers(3, 8), pool=st.integers(1, 3), stride=st.sampled_from([None, 1, 2, 3]),
       padding=st.sampled_from(["valid", "same"]))
def test_compute_output_shape_matches_the_actual_output(size, pool, stride, padding):
    layer = layers.AveragePooling2D(pool_size=pool, strides=stride, padding=padding)
    shape = (1, *([size] * 2), 2)
    out = layer(np.ones(shape, np.float32))
    assert layer.compute_output_shape(shape) == tuple(out.shape)


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(pool_size=0), "pool_size=0"),
    (dict(strides=-1), "strides=-1"),
    (dict(padding="full"), "padding='full'"),
])
def test_bad_arguments_raise_naming_them(kwargs, fragment):
    with pytest.raises(ValueError, match="AveragePooling2D") as error:
        layers.AveragePooling2D(**kwargs)
    assert fragment in str(error.value)
