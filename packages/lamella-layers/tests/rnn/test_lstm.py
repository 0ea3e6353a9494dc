"""``LSTM``: outputs against Keras 3, statefulness, configs and errors."""

import numpy as np
import pytest

import lamella
from lamella.testing import check_layer
from lamella import layers

VARIANTS = [
    {},
    {"return_sequences": True},
    {"return_state": True},
    {"go_backwards": True},
    {"go_backwards": True, "return_sequences": True},
    {"return_sequences": True, "return_state": True, "unroll": True},
]


@pytest.mark.keras_parity
@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: "-".join(v) or "default")
@pytest.mark.parametrize("masked", [False, True], ids=["no-mask", "mask"])
def test_lstm_matches_keras_with_same_weights(
    keras, sequences, copy_weights, assert_same_outputs, variant, masked
):
    x, mask = sequences
    ours, theirs = layers.LSTM(5, **variant), keras.layers.LSTM(5, **variant)
    theirs.build(x.shape)
    ours.build(x.shape)
    copy_weights(theirs, ours)
    m = mask if masked else None
    assert_same_outputs(ours(x, mask=m), theirs(x, mask=m))


@pytest.mark.keras_parity
def test_lstm_with_initial_state_and_custom_activations_matches_keras(
    keras, sequences, copy_weights, assert_same_outputs
):
    x, _ = sequences
    rng = np.random.default_rng(3)
    h0, c0 = (rng.normal(size=(3, 5)).astype(np.float32) for _ in range(2))
    kwargs = {"activation": "relu", "recurrent_activation": "hard_sigmoid", "use_bias": False}
    ours, theirs = layers.LSTM(5, **kwargs), keras.layers.LSTM(5, **kwargs)
    theirs.build(x.shape)
    ours.build(x.shape)
    copy_weights(theirs, ours)
    assert_same_outputs(ours(x, initial_state=[h0, c0]), theirs(x, initial_state=[h0, c0]))


@pytest.mark.keras_parity
def test_lstm_weights_have_keras_names_shapes_and_forget_bias(keras):
    ours = layers.LSTM(3)
    ours.build((None, 4, 2))
    assert [(w.name, w.shape) for w in ours.weights] == [
        ("kernel", (2, 12)), ("recurrent_kernel", (3, 12)), ("bias", (12,)),
    ]
    np.testing.assert_array_equal(ours.weights[2].numpy(), [0, 0, 0, 1, 1, 1] + [0] * 6)
    theirs = keras.layers.LSTM(3)
    theirs.build((None, 4, 2))
    assert [tuple(w.shape) for w in theirs.weights] == [w.shape for w in ours.weights]


def test_lstm_forwards_cell_attributes_and_round_trips_its_config():
    layer = layers.LSTM(4, dropout=0.25, unit_forget_bias=False, return_sequences=True)
    assert layer.units == 4 and layer.dropout == 0.25 and layer.unit_forget_bias is False
    config = layer.get_config()
    assert config["units"] == 4 and config["return_sequences"] is True and "cell" not in config
    rebuilt = layers.LSTM.from_config(config)
    assert rebuilt.get_config() == config
    copy = lamella.layers.deserialize(lamella.layers.serialize(layer))
    assert type(copy) is layers.LSTM and copy.get_config() == config


def test_lstm_keeps_the_layer_contract():
    check_layer(
        layers.LSTM, {"units": 3, "return_sequences": True}, input_shape=(2, 5, 4),
        expected_output_shape=(2, 5, 3), expected_num_trainable_weights=3,
        registered_as="LSTM", rtol=1e-5, atol=1e-5,
    )


def test_lstm_dropout_applies_only_in_training_with_one_mask_per_sequence():
    x = np.ones((2, 6, 8), np.float32)
    layer = layers.LSTM(4, dropout=0.5, recurrent_dropout=0.5, seed=1, return_sequences=True)
    plain = layers.LSTM(4, return_sequences=True)
    plain.build(x.shape)
    layer.build(x.shape)
    layer.set_weights(plain.get_weights())
    np.testing.assert_allclose(layer(x, training=False), plain(x), atol=1e-6)
    trained = np.asarray(layer(x, training=True))
    assert not np.allclose(trained, np.asarray(plain(x)))
    # Same input at every step and the same input mask at every step: with no
    # recurrent dropout, the first step equals plain LSTM with dropped inputs.
    inputs_only = layers.LSTM(4, dropout=0.5, seed=2, return_sequences=True)
    inputs_only.build(x.shape)
    inputs_only.set_weights(plain.get_weights())
    out = np.asarray(inputs_only(x, training=True))
    assert np.isfinite(out).all() and not np.allclose(out, np.asarray(plain(x)))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"units": 0}, "LSTM expected a positive integer for units. Received: units=0"),
        ({"units": 2, "dropout": 1.5}, "LSTM expected a float in \\[0, 1\\) for dropout"),
        ({"units": 2, "return_sequences": "yes"}, "expected True or False for return_sequences"),
        ({"units": 2, "implementation": 3}, "LSTM expected implementation 1 or 2"),
    ],
)
def test_lstm_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.LSTM(**kwargs)


def test_lstm_rejects_unknown_arguments():
    with pytest.raises(TypeError, match="LSTM"):
        layers.LSTM(2, recurrent_units=3)


def test_lstm_rejects_a_wrong_number_of_initial_states():
    layer = layers.LSTM(2)
    with pytest.raises(ValueError, match="has 2 states, but initial_state has 1"):
        layer(np.ones((1, 3, 2), np.float32), initial_state=[np.zeros((1, 2), np.float32)])
