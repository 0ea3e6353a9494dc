"""``Conv1D`` against Keras 3, including causal padding."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lamella
from lamella import layers
from lamella.testing import PlainSGD, check_layer, squared_error

CONFIGS = [
    dict(kernel_size=3),
    dict(kernel_size=3, padding="causal", dilation_rate=2),
    dict(kernel_size=4, padding="causal", strides=2),
    dict(kernel_size=2, strides=3, padding="same", groups=2, activation="sigmoid"),
    dict(kernel_size=5, padding="same", use_bias=False),
]


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("config", CONFIGS, ids=[str(i) for i in range(len(CONFIGS))])
def test_conv1d_matches_keras_with_same_weights(twins, random_input, config, data_format):
    x = random_input(3, 9, 4)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare("Conv1D", dict(filters=6, data_format=data_format, **config), x)


def test_causal_output_at_t_ignores_later_inputs(random_input):
    layer = layers.Conv1D(2, 3, padding="causal", dilation_rate=2)
    x = random_input(1, 10, 3)
    later_changed = x.copy()
    later_changed[:, 6:] += 5.0
    a, b = np.asarray(layer(x)), np.asarray(layer(later_changed))
    np.testing.assert_array_equal(a[:, :6], b[:, :6])
    assert not np.allclose(a[:, 6:], b[:, 6:])
    assert a.shape == (1, 10, 2)


def test_causal_padding_in_channels_first_equals_channels_last(random_input):
    x = random_input(2, 8, 3)
    last = layers.Conv1D(4, 3, padding="causal", dilation_rate=2)
    first = layers.Conv1D(4, 3, padding="causal", dilation_rate=2, data_format="channels_first")
    last.build(x.shape)
    first.build((2, 3, 8))
    first.set_weights(last.get_weights())
    np.testing.assert_allclose(
        np.moveaxis(np.asarray(first(np.moveaxis(x, -1, 1))), 1, -1), last(x), rtol=1e-5, atol=1e-6
    )


@pytest.mark.keras_parity
def test_conv1d_gradients_match_keras(twins, random_input):
    twins.compare_gradients("Conv1D", dict(filters=3, kernel_size=3, padding="causal"), random_input(2, 7, 2))


def test_conv1d_keeps_the_layer_contract():
    check_layer(layers.Conv1D, {"filters": 3, "kernel_size": 3, "padding": "causal"},
                input_shape=(2, 6, 2), expected_output_shape=(2, 6, 3), registered_as="Conv1D")
    assert layers.get("Convolution1D") is layers.Conv1D


def test_text_style_conv1d_model_trains(random_input):
    # Embedding-free text-style stack: Conv1D -> pooling -> Dense on sequences.
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 20, 8)).astype(np.float32)
    y = (x[:, :, 0].mean(axis=1, keepdims=True) > 0).astype(np.float32)
    model = lamella.Sequential([
        lamella.Input((20, 8)), layers.Conv1D(8, 5, activation="relu", padding="same"),
        layers.MaxPooling1D(2), layers.Conv1D(8, 3, activation="relu"),
        layers.GlobalMaxPooling1D(), layers.Dense(1),
    ])
    model.compile(optimizer=PlainSGD(0.05), loss=squared_error)
    history = model.fit(x, y, epochs=10, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.8 * history.history["loss"][0]


@settings(max_examples=15, deadline=None)
@given(
    steps=st.integers(4, 12), kernel=st.integers(1, 4), stride=st.integers(1, 3),
    dilation=st.integers(1, 2), padding=st.sampled_from(["valid", "same", "causal"]),
)
def test_compute_output_shape_matches_the_actual_output(steps, kernel, stride, dilation, padding):
    layer = layers.Conv1D(2, kernel, strides=stride, dilation_rate=dilation, padding=padding)
    if padding == "valid" and (kernel - 1) * dilation + 1 > steps:
        with pytest.raises(ValueError, match="too small"):
            layer(np.ones((1, steps, 3), np.float32))
        return
    out = layer(np.ones((1, steps, 3), np.float32))
    assert layer.compute_output_shape((1, steps, 3)) == tuple(out.shape)


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(filters=-1, kernel_size=3), "filters=-1"),
    (dict(filters=2, kernel_size=(2, 2)), "kernel_size=(2, 2)"),
    (dict(filters=2, kernel_size=3, padding="full"), "padding='full'"),
    (dict(filters=2, kernel_size=3, dilation_rate=0), "dilation_rate=0"),
])
def test_bad_arguments_raise_naming_them(kwargs, fragment):
    with pytest.raises(ValueError, match="Conv1D") as error:
        layers.Conv1D(**kwargs)
    assert fragment in str(error.value)
