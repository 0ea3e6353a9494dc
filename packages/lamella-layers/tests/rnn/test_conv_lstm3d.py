"""``ConvLSTM3D``: against Keras 3."""

import numpy as np
import pytest

from lamella import layers


@pytest.mark.keras_parity
def test_conv_lstm3d_matches_keras(keras, copy_weights, assert_same_outputs):
    x = np.random.default_rng(0).normal(size=(1, 2, 4, 4, 4, 1)).astype(np.float32)
    ours = layers.ConvLSTM3D(2, 3, padding="same", return_sequences=True)
    theirs = keras.layers.ConvLSTM3D(2, 3, padding="same", return_sequences=True)
    expected = theirs(x)
    ours.build(x.shape)
    copy_weights(theirs, ours)
    assert_same_outputs(ours(x), expected, atol=2e-5)
