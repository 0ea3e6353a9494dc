"""``Masking``: zeroed padding, the emitted mask, and LSTMs downstream (against Keras)."""

import numpy as np
import pytest

import lamella
from lamella import layers
from lamella.testing import check_layer


def _padded():
    x = np.random.default_rng(0).normal(size=(3, 5, 2)).astype(np.float32)
    x[0, 3:] = 0.0
    x[1, :2] = -1.0
    x[2, 2, 0] = 0.0  # one zero feature is not padding
    return x


def test_masking_masks_timesteps_whose_features_all_equal_the_value():
    x = _padded()
    layer = layers.Masking(mask_value=-1.0)
    expected_mask = np.any(x != -1.0, axis=-1)
    np.testing.assert_array_equal(layer.compute_mask(x), expected_mask)
    np.testing.assert_allclose(layer(x), np.where(expected_mask[..., None], x, 0.0))


@pytest.mark.keras_parity
def test_masking_then_lstm_matches_keras(keras):
    x = _padded()
    ours = lamella.Sequential([lamella.Input((5, 2)), layers.Masking(), layers.LSTM(3)])
    theirs = keras.Sequential([keras.Input((5, 2)), keras.layers.Masking(), keras.layers.LSTM(3)])
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0), atol=1e-5)
    # The padded sample's output is that of its unpadded prefix.
    np.testing.assert_allclose(ours(x)[0], ours(x[:1, :3])[0], atol=1e-6)


def test_masking_keeps_the_layer_contract():
    check_layer(layers.Masking, {"mask_value": 0.5}, input_data=_padded(),
                expected_output_shape=(3, 5, 2), registered_as="Masking")


def test_masking_rejects_a_value_that_is_not_a_number():
    with pytest.raises(ValueError, match="Masking expected a number for mask_value"):
        layers.Masking(mask_value="pad")
