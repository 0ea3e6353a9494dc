"""``ConvLSTM1D``: against Keras 3 and its config."""

import numpy as np
import pytest

from lamella import layers


@pytest.mark.keras_parity
@pytest.mark.parametrize("kwargs", [{}, {"padding": "same", "return_sequences": True},
                                    {"strides": 2, "return_state": True}],
                         ids=lambda k: "-".join(k) or "default")
def test_conv_lstm1d_matches_keras(keras, copy_weights, assert_same_outputs, kwargs):
    x = np.random.default_rng(0).normal(size=(2, 4, 7, 3)).astype(np.float32)
    ours, theirs = layers.ConvLSTM1D(4, 3, **kwargs), keras.layers.ConvLSTM1D(4, 3, **kwargs)
    expected = theirs(x)
    ours.build(x.shape)
    copy_weights(theirs, ours)
    assert_same_outputs(ours(x), expected, atol=2e-5)


def test_conv_lstm1d_config_round_trips():
    layer = layers.ConvLSTM1D(3, 2, strides=2, padding="same", return_sequences=True)
    config = layer.get_config()
    assert "rank" not in config and config["kernel_size"] == (2,)
    assert layers.ConvLSTM1D.from_config(config).get_config() == config
