"""``Conv2D`` against Keras 3: outputs in both data formats, gradients, shapes,
configs, errors."""

import itertools
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lamella
from lamella import layers
from lamella.testing import PlainSGD, check_layer, squared_error

CONFIGS = [
    dict(kernel_size=3),
    dict(kernel_size=(3, 2), strides=2, padding="same"),
    dict(kernel_size=3, dilation_rate=2, padding="same"),
    dict(kernel_size=(1, 3), strides=(2, 1), groups=2),
    dict(kernel_size=2, groups=4, use_bias=False, activation="relu"),
    dict(kernel_size=1, strides=(2, 3), padding="same"),
]


def as_format(x, data_format):
    return x if data_format == "channels_last" else np.moveaxis(x, -1, 1).copy()


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("config", CONFIGS, ids=[str(i) for i in range(len(CONFIGS))])
def test_conv2d_matches_keras_with_same_weights(twins, random_input, config, data_format):
    x = as_format(random_input(2, 7, 6, 4), data_format)
    twins.compare("Conv2D", dict(filters=4, data_format=data_format, **config), x)


@pytest.mark.keras_parity
@pytest.mark.parametrize("kernel_size", [3, 1])
def test_conv2d_gradients_match_keras(twins, random_input, kernel_size):
    twins.compare_gradients(
        "Conv2D",
        dict(filters=3, kernel_size=kernel_size, strides=2, padding="same", activation="tanh"),
        random_input(2, 7, 5, 2),
    )


def test_conv2d_computes_the_windowed_sum_of_a_numpy_reference(random_input):
    x = random_input(1, 4, 5, 2)
    layer = layers.Conv2D(3, (2, 3), use_bias=False)
    out = np.asarray(layer(x))
    kernel = layer.get_weights()[0]
    expected = np.zeros((1, 3, 3, 3), np.float32)
    for i, j in itertools.product(range(3), range(3)):
        expected[0, i, j] = np.einsum("hwc,hwco->o", x[0, i:i + 2, j:j + 3], kernel)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_strides_with_dilation_equal_the_dilated_convolution_subsampled(random_input):
    # Keras refuses strides > 1 with dilation_rate > 1; jax computes it exactly.
    x = random_input(2, 11, 10, 3)
    strided = layers.Conv2D(2, 3, strides=2, dilation_rate=2)
    dense = layers.Conv2D(2, 3, dilation_rate=2)
    strided.build(x.shape)
    dense.build(x.shape)
    dense.set_weights(strided.get_weights())
    np.testing.assert_allclose(strided(x), np.asarray(dense(x))[:, ::2, ::2], rtol=1e-5, atol=1e-6)


def test_conv2d_keeps_the_layer_contract():
    check_layer(layers.Conv2D, {"filters": 3, "kernel_size": 2, "padding": "same"},
                input_shape=(2, 5, 5, 2), expected_output_shape=(2, 5, 5, 3),
                expected_num_trainable_weights=2, registered_as="Conv2D")


@pytest.mark.keras_parity
def test_config_has_keras_keys_and_round_trips(keras, random_input):
    x = random_input(2, 6, 6, 2)
    original = layers.Conv2D(
        4, (3, 2), strides=(1, 2), padding="same", dilation_rate=1, activation="relu",
        kernel_initializer="he_normal", kernel_regularizer="l2", bias_constraint="NonNeg",
        name="conv",
    )
    expected = original(x)
    config = json.loads(json.dumps(original.get_config()))
    rebuilt = layers.deserialize(json.loads(json.dumps(layers.serialize(original))))
    rebuilt.build(x.shape)
    rebuilt.set_weights(original.get_weights())
    np.testing.assert_array_equal(rebuilt(x), expected)
    assert rebuilt.get_config() == original.get_config()
    assert set(keras.layers.Conv2D(4, 3).get_config()) <= set(config)
    assert config["kernel_size"] == [3, 2] and config["strides"] == [1, 2]


@pytest.mark.keras_parity
def test_kernel_regularization_loss_matches_keras(twins, random_input):
    ours, theirs = twins.make("Conv2D", dict(filters=2, kernel_size=2, kernel_regularizer="l2"), (1, 4, 4, 3))
    np.testing.assert_allclose([float(v) for v in ours.losses], [float(v) for v in theirs.losses], rtol=1e-6)


def test_conv2d_trains_in_a_model(random_input):
    model = lamella.Sequential([
        lamella.Input((6, 6, 1)), layers.Conv2D(2, 3, activation="relu"), layers.Flatten(),
        lamella.layers.Dense(1),
    ])
    model.compile(optimizer=PlainSGD(0.05), loss=squared_error)
    x = random_input(32, 6, 6, 1)
    y = x.mean(axis=(1, 2))
    history = model.fit(x, y, epochs=8, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


# -- shapes ----------------------------------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(
    size=st.tuples(st.integers(5, 9), st.integers(5, 9)),
    kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    strides=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    dilation=st.integers(1, 2),
    padding=st.sampled_from(["valid", "same"]),
    data_format=st.sampled_from(["channels_last", "channels_first"]),
)
def test_compute_output_shape_matches_the_actual_output(size, kernel, strides, dilation, padding, data_format):
    layer = layers.Conv2D(2, kernel, strides=strides, dilation_rate=dilation, padding=padding,
                          data_format=data_format)
    shape = (1, *size, 3) if data_format == "channels_last" else (1, 3, *size)
    out = layer(np.ones(shape, np.float32))
    assert layer.compute_output_shape(shape) == tuple(out.shape)


@pytest.mark.keras_parity
@pytest.mark.parametrize("shape", [(None, 28, 28, 1), (None, None, None, 3), (4, 9, 8, 2)])
def test_symbolic_output_shape_matches_keras(keras, shape):
    kwargs = dict(filters=5, kernel_size=3, strides=2, padding="same")
    ours = layers.Conv2D(**kwargs)(lamella.Input(batch_shape=shape))
    theirs = keras.layers.Conv2D(**kwargs)(keras.Input(batch_shape=shape))
    assert tuple(ours.shape) == tuple(theirs.shape)


# -- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        (dict(filters=0, kernel_size=3), "Conv2D expected a positive integer for filters. Received: filters=0"),
        (dict(filters=4, kernel_size=(3, 0)), "kernel_size=(3, 0)"),
        (dict(filters=4, kernel_size=(3, 3, 3)), "kernel_size=(3, 3, 3)"),
        (dict(filters=4, kernel_size=3, strides="2"), "strides='2'"),
        (dict(filters=4, kernel_size=3, padding="causal"), "padding='causal'"),
        (dict(filters=5, kernel_size=3, groups=2), "filters=5, groups=2"),
        (dict(filters=4, kernel_size=3, data_format="NHWC"), "data_format='NHWC'"),
    ],
)
def test_bad_arguments_raise_naming_them(kwargs, fragment):
    with pytest.raises(ValueError) as error:
        layers.Conv2D(**kwargs)
    assert fragment in str(error.value)


def test_input_channels_must_divide_into_groups():
    with pytest.raises(ValueError, match=r"multiple of groups=2.*\(1, 5, 5, 3\)"):
        layers.Conv2D(4, 3, groups=2, name="grouped")(np.ones((1, 5, 5, 3), np.float32))


def test_too_small_input_raises_naming_the_layer():
    with pytest.raises(ValueError, match=r"'small'.*too small"):
        layers.Conv2D(4, 5, name="small")(np.ones((1, 3, 3, 1), np.float32))


def test_built_layer_rejects_other_channel_counts():
    layer = layers.Conv2D(4, 3, name="c")
    layer(np.ones((1, 5, 5, 3), np.float32))
    with pytest.raises(ValueError, match=r"'c'.*\(1, 5, 5, 2\)"):
        layer(np.ones((1, 5, 5, 2), np.float32))


def test_rank_3_input_raises():
    with pytest.raises(ValueError, match="ndim=4"):
        layer = layers.Conv2D(4, 3)
        layer.build((1, 5, 5, 2))
        layer(np.ones((5, 5, 2), np.float32))
