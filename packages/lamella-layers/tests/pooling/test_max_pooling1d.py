"""``MaxPooling1D`` against Keras 3."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lamella import layers
from lamella.testing import check_layer

SHAPE = (2, 9, 3)


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("config", [
    dict(pool_size=2),
    dict(pool_size=3, strides=1),
    dict(pool_size=3, strides=2, padding="same"),
    dict(pool_size=4, padding="same"),
], ids=["default", "overlapping", "same", "uneven"])
def test_max_pooling1d_matches_keras(twins, random_input, config, data_format):
    x = random_input(*SHAPE)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare("MaxPooling1D", dict(data_format=data_format, **config), x, rtol=1e-6, atol=1e-6)


@pytest.mark.keras_parity
def test_max_pooling1d_gradients_match_keras(twins, random_input):
    twins.compare_gradients("MaxPooling1D", dict(pool_size=2, strides=1), random_input(*SHAPE))


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("config", [
    dict(pool_size=2),
    dict(pool_size=3, strides=2, padding="same"),
], ids=["tiled", "overlapping-same"])
def test_tied_maxima_get_the_gradient_as_in_keras(twins, data_format, config):
    # Small integers tie often within a window; Keras gives the gradient to the
    # first maximum of each window (tile_max's and sliding_max's rules).
    x = np.random.default_rng(3).integers(0, 3, SHAPE).astype(np.float32)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare_gradients("MaxPooling1D", dict(data_format=data_format, **config), x)


def test_max_pooling1d_takes_each_windows_maximum(random_input):
    x = random_input(*SHAPE)
    out = np.asarray(layers.MaxPooling1D(pool_size=2)(x))
    expected = x[:, :8].reshape(2, 4, 2, 3).max(axis=2)
    np.testing.assert_array_equal(out, expected)


def test_max_pooling1d_keeps_the_layer_contract():
    check_layer(layers.MaxPooling1D, {"pool_size": 2}, input_shape=SHAPE, registered_as="MaxPooling1D")


@settings(max_examples=12, deadline=None)
@given(size=st.integers(3, 8), pool=st.integers(1, 3), stride=st.sampled_from([None, 1, 2, 3]),
       padding=st.sampled_from(["valid", "same"]))
def test_compute_output_shape_matches_the_actual_output(size, pool, stride, padding):
    layer = layers.MaxPooling1D(pool_size=pool, strides=stride, padding=padding)
    shape = (1, *([size] * 1), 2)
    out = layer(np.ones(shape, np.float32))
    assert layer.compute_output_shape(shape) == tuple(out.shape)


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(pool_size=0), "pool_size=0"),
    (dict(strides=-1), "strides=-1"),
    (dict(padding="full"), "padding='full'"),
])
def test_bad_arguments_raise_naming_them(kwargs, fragment):
    with pytest.raises(ValueError, match="MaxPooling1D") as error:
        layers.MaxPooling1D(**kwargs)
    assert fragment in str(error.value)
