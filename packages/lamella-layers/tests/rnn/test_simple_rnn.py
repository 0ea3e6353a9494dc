"""``SimpleRNN``: outputs against Keras 3 and the formula, configs and errors."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "variant",
    [{}, {"return_sequences": True}, {"return_state": True}, {"go_backwards": True},
     {"activation": "relu", "return_sequences": True}],
    ids=lambda v: "-".join(v) or "default",
)
@pytest.mark.parametrize("masked", [False, True], ids=["no-mask", "mask"])
def test_simple_rnn_matches_keras_with_same_weights(
    keras, sequences, copy_weights, assert_same_outputs, variant, masked
):
    x, mask = sequences
    ours, theirs = layers.SimpleRNN(5, **variant), keras.layers.SimpleRNN(5, **variant)
    theirs.build(x.shape)
    ours.build(x.shape)
    copy_weights(theirs, ours)
    m = mask if masked else None
    assert_same_outputs(ours(x, mask=m), theirs(x, mask=m))


def test_simple_rnn_matches_the_formula():
    x = np.random.default_rng(2).normal(size=(2, 4, 3)).astype(np.float32)
    layer = layers.SimpleRNN(2, return_sequences=True)
    out = np.asarray(layer(x))
    kernel, recurrent, bias = layer.get_weights()
    h = np.zeros((2, 2), np.float32)
    for t in range(4):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent + bias)
        np.testing.assert_allclose(out[:, t], h, rtol=1e-5, atol=1e-6)


def test_simple_rnn_keeps_the_layer_contract():
    check_layer(
        layers.SimpleRNN, {"units": 3}, input_shape=(2, 5, 4), expected_output_shape=(2, 3),
        registered_as="SimpleRNN", rtol=1e-5, atol=1e-5,
    )


def test_simple_rnn_rejects_bad_arguments():
    with pytest.raises(ValueError, match="SimpleRNN expected a float in \\[0, 1\\) for recurrent_dropout"):
        layers.SimpleRNN(2, recurrent_dropout=-0.1)
