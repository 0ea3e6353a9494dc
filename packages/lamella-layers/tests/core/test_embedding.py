"""``Embedding``: lookups against Keras 3, the padding mask, Keras 2 arguments, errors."""

import numpy as np
import pytest

import lamella
from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
def test_embedding_matches_keras_with_same_weights(keras):
    ids = np.random.default_rng(0).integers(0, 10, size=(3, 5))
    ours, theirs = layers.Embedding(10, 4), keras.layers.Embedding(10, 4)
    theirs.build(ids.shape)
    ours.build(ids.shape)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    np.testing.assert_allclose(ours(ids), theirs(ids), rtol=0, atol=0)
    table = ours.get_weights()[0]
    np.testing.assert_array_equal(ours(ids), table[ids])


def test_embedding_mask_zero_masks_the_padding_id():
    ids = np.array([[4, 2, 0, 0], [1, 0, 3, 0]])
    layer = layers.Embedding(5, 2, mask_zero=True)
    np.testing.assert_array_equal(layer.compute_mask(ids), ids != 0)
    assert layers.Embedding(5, 2).compute_mask(ids) is None


def test_embedding_takes_float_ids_and_keeps_them_out_of_the_float_cast():
    layer = layers.Embedding(5, 3, dtype="mixed_float16")
    out = layer(np.array([[1.0, 4.0]], np.float32))
    assert out.dtype == np.float16
    np.testing.assert_allclose(out, layer.get_weights()[0][[1, 4]][None].astype(np.float16))


def test_embedding_input_length_sets_the_input_shape_of_a_first_layer():
    model = lamella.Sequential([layers.Embedding(100, 8, input_length=12), layers.Flatten()])
    assert model.input_shape == (None, 12) and model.output_shape == (None, 96)
    assert layers.Embedding(100, 8, input_length=12).get_config()["input_length"] == 12


def test_embedding_keeps_the_layer_contract():
    ids = np.random.default_rng(1).integers(0, 7, size=(2, 3))
    check_layer(
        layers.Embedding, {"input_dim": 7, "output_dim": 4, "mask_zero": True},
        input_data=ids, expected_output_shape=(2, 3, 4), registered_as="Embedding",
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"input_dim": 0, "output_dim": 2}, "Embedding expected a positive integer for input_dim. Received: input_dim=0"),
        ({"input_dim": 3, "output_dim": 2.5}, "for output_dim. Received: output_dim=2.5"),
        ({"input_dim": 3, "output_dim": 2, "input_length": -1}, "or None for input_length"),
    ],
)
def test_embedding_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.Embedding(**kwargs)
