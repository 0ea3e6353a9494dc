"""``Flatten``: both data formats, shapes and configs against Keras 3."""

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lamella
from lamella import layers

SHAPES = [(2,), (2, 7), (2, 3, 4), (2, 3, 4, 5), (1, 2, 3, 2, 2)]


def arange(shape):
    return np.arange(np.prod(shape), dtype=np.float32).reshape(shape)


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("shape", SHAPES)
def test_flatten_matches_keras(keras, shape, data_format):
    x = arange(shape)
    out = layers.Flatten(data_format=data_format)(x)
    expected = keras.layers.Flatten(data_format=data_format)(x)
    assert out.shape == expected.shape == (shape[0], int(np.prod(shape[1:])))
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("shape", [(2, 3, 4), (2, 3, 4, 5), (1, 2, 3, 2, 2)])
def test_channels_first_equals_moving_channels_last_first(shape):
    x = arange(shape)
    channels_last = np.moveaxis(x, 1, -1)
    np.testing.assert_array_equal(
        layers.Flatten(data_format="channels_first")(x),
        layers.Flatten(data_format="channels_last")(channels_last),
    )
    # The same features in the same order: a Dense after it needs no re-ordering.
    np.testing.assert_array_equal(
        layers.Flatten(data_format="channels_first")(x), channels_last.reshape(shape[0], -1)
    )


def test_channels_last_is_a_row_major_reshape():
    x = arange((2, 3, 4))
    np.testing.assert_array_equal(layers.Flatten()(x), x.reshape(2, 12))


@pytest.mark.keras_parity
# The keras fixture is the imported module: nothing to reset between examples.
@settings(
    max_examples=60, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    shape=st.lists(st.none() | st.integers(1, 6), min_size=1, max_size=5),
    data_format=st.sampled_from(["channels_last", "channels_first"]),
)
def test_compute_output_shape_matches_keras(keras, shape, data_format):
    shape = tuple(shape)
    ours = layers.Flatten(data_format=data_format).compute_output_shape(shape)
    assert ours == keras.layers.Flatten(data_format=data_format).compute_output_shape(shape)


# Few examples: each new shape compiles a reshape.
@settings(max_examples=10, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=4))
def test_compute_output_shape_matches_the_actual_output(shape):
    layer = layers.Flatten()
    out = layer(np.zeros(shape, np.float32))
    assert layer.compute_output_shape(tuple(shape)) == tuple(out.shape)


@pytest.mark.keras_parity
@pytest.mark.parametrize("shape", [(4, 5), (None, 3), (3, None, 2)])
def test_symbolic_output_shape_matches_keras(keras, shape):
    ours = layers.Flatten()(lamella.Input(shape))
    theirs = keras.layers.Flatten()(keras.Input(shape))
    assert tuple(ours.shape) == tuple(theirs.shape)


def test_default_data_format_follows_the_backend_setting():
    assert layers.Flatten().data_format == "channels_last"
    lamella.backend.set_image_data_format("channels_first")
    try:
        assert layers.Flatten().data_format == "channels_first"
    finally:
        lamella.backend.set_image_data_format("channels_last")


def test_invalid_data_format_raises_value_error():
    with pytest.raises(ValueError, match="channels_middle"):
        layers.Flatten(data_format="channels_middle")


def test_scalar_inputs_are_rejected():
    with pytest.raises(ValueError, match="min_ndim=1"):
        layers.Flatten()(np.float32(3.0))


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_config_matches_keras_and_round_trips(keras, data_format):
    original = layers.Flatten(data_format=data_format, name="flat")
    config = json.loads(json.dumps(original.get_config()))
    theirs = keras.layers.Flatten(data_format=data_format, name="flat").get_config()
    assert {k: v for k, v in config.items() if k != "dtype"} == {
        k: v for k, v in theirs.items() if k != "dtype"
    }
    x = arange((2, 3, 4))
    np.testing.assert_array_equal(layers.Flatten.from_config(config)(x), original(x))
    np.testing.assert_array_equal(layers.deserialize(layers.serialize(original))(x), original(x))


def test_flatten_feeds_dense_in_a_sequential_model():
    model = lamella.Sequential([
        layers.Input((3, 4, 2)),
        layers.Flatten(),
        layers.Dense(5, kernel_initializer="ones", bias_initializer="zeros"),
    ])
    x = arange((2, 3, 4, 2))
    assert model.output_shape == (None, 5)
    # All-ones kernel: every unit sums the 24 flattened features.
    expected = np.repeat(x.reshape(2, -1).sum(axis=1, keepdims=True), 5, axis=1)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected)
