"""``Bidirectional``: every merge mode against Keras 3, masks, states, configs, errors."""

import numpy as np
import pytest

import lamella
from lamella import layers


@pytest.fixture
def batch():
    x = np.random.default_rng(0).normal(size=(3, 6, 4)).astype(np.float32)
    mask = np.ones((3, 6), bool)
    mask[0, 4:] = False
    mask[2, :1] = False
    return x, mask


def _twins(keras, x, inner, **kwargs):
    ours = layers.Bidirectional(getattr(layers, inner[0])(3, **inner[1]), **kwargs)
    theirs = keras.layers.Bidirectional(getattr(keras.layers, inner[0])(3, **inner[1]), **kwargs)
    theirs.build(x.shape)
    ours.build(x.shape)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    return ours, theirs


def _flat(outputs):
    return list(outputs) if isinstance(outputs, list | tuple) else [outputs]


@pytest.mark.keras_parity
@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("inner", [("LSTM", {"return_sequences": True}), ("GRU", {})],
                         ids=["lstm-sequences", "gru-last"])
@pytest.mark.parametrize("masked", [False, True], ids=["no-mask", "mask"])
def test_bidirectional_matches_keras(keras, batch, merge_mode, inner, masked):
    x, mask = batch
    ours, theirs = _twins(keras, x, inner, merge_mode=merge_mode)
    m = mask if masked else None
    for a, b in zip(_flat(ours(x, mask=m)), _flat(theirs(x, mask=m)), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


@pytest.mark.keras_parity
def test_bidirectional_return_state_and_initial_state_match_keras(keras, batch):
    x, _ = batch
    ours, theirs = _twins(keras, x, ("LSTM", {"return_state": True}))
    states = [np.random.default_rng(i).normal(size=(3, 3)).astype(np.float32) for i in range(4)]
    a, b = ours(x, initial_state=states), theirs(x, initial_state=states)
    assert len(a) == len(b) == 5
    for u, v in zip(a, b):
        np.testing.assert_allclose(u, v, rtol=1e-5, atol=1e-5)
    assert ours.compute_output_shape((None, 6, 4)) == [(None, 6)] + [(None, 3)] * 4


def test_bidirectional_with_a_backward_layer_and_weights_order(batch):
    x, _ = batch
    forward = layers.SimpleRNN(2, return_sequences=True)
    backward = layers.GRU(2, return_sequences=True, go_backwards=True)
    wrapper = layers.Bidirectional(forward, backward_layer=backward, merge_mode="sum")
    out = np.asarray(wrapper(x))
    assert wrapper.backward_layer is backward and len(wrapper.weights) == 6
    expected = np.asarray(wrapper.forward_layer(x)) + np.flip(np.asarray(backward(x)), axis=1)
    np.testing.assert_allclose(out, expected, atol=1e-6)


def test_bidirectional_in_a_model_with_masks_and_config_round_trip():
    model = lamella.Sequential([
        lamella.Input((None,)), layers.Embedding(10, 4, mask_zero=True),
        layers.Bidirectional(layers.LSTM(3)), layers.Dense(1),
    ])
    ids = np.array([[1, 2, 3, 0, 0], [4, 5, 6, 7, 8]])
    out = model.predict(ids, verbose=0)
    np.testing.assert_allclose(out[0], model.predict(ids[:1, :3], verbose=0)[0], atol=1e-5)
    copy = lamella.Sequential.from_config(model.get_config())
    copy.set_weights(model.get_weights())
    np.testing.assert_allclose(copy.predict(ids, verbose=0), out, atol=1e-6)


def test_bidirectional_rejects_bad_arguments():
    with pytest.raises(ValueError, match="merge_mode in"):
        layers.Bidirectional(layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="needs a recurrent layer"):
        layers.Bidirectional(layers.Dense(2))
    with pytest.raises(ValueError, match="opposite go_backwards"):
        layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(2))
    with pytest.raises(ValueError, match="agree on return_sequences"):
        layers.Bidirectional(
            layers.LSTM(2), backward_layer=layers.LSTM(2, go_backwards=True, return_sequences=True)
        )
