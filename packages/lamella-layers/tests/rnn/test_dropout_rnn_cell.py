"""Dropout in recurrent cells follows Keras 3: masks drawn once per sequence, one per
gate where Keras draws one per gate (LSTM/GRU under recurrent dropout or
implementation 1, ConvLSTM always), one shared mask otherwise. Given the same masks,
a cell's training step equals Keras's."""

import numpy as np
import pytest

from lamella import layers


def _masks(rng, count, shape):
    # Values of an inverted dropout mask at rate 0.5: 0 or 2.
    return (rng.integers(0, 2, size=(count, *shape)) * 2.0).astype(np.float32)


def _twins(keras_cell, cell, x, states):
    keras_cell.build(x.shape)
    cell.build(x.shape)
    cell.set_weights([np.random.default_rng(5).normal(size=w.shape).astype(np.float32) * 0.5
                      for w in cell.get_weights()])
    keras_cell.set_weights(cell.get_weights())


def _inject(keras_cell, cell, input_masks, state_masks):
    keras_cell._dropout_mask = list(input_masks)
    keras_cell._recurrent_dropout_mask = list(state_masks)
    cell._dropout_masks = (input_masks, state_masks)


def _compare(ours, theirs):
    (out, states), (k_out, k_states) = ours, theirs
    np.testing.assert_allclose(out, np.asarray(k_out), rtol=1e-5, atol=1e-5)
    for a, b in zip(states, k_states, strict=True):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-5, atol=1e-5)


@pytest.mark.keras_parity
@pytest.mark.parametrize("name, gates, kwargs", [
    ("LSTMCell", 4, {}),
    ("GRUCell", 3, {"reset_after": True}),
    ("GRUCell", 3, {"reset_after": False}),
])
def test_per_gate_masks_give_keras_training_step(keras, name, gates, kwargs):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 5)).astype(np.float32)
    n_states = 2 if name == "LSTMCell" else 1
    states = [rng.normal(size=(3, 4)).astype(np.float32) for _ in range(n_states)]
    kwargs = dict(kwargs, dropout=0.5, recurrent_dropout=0.5)
    cell, keras_cell = getattr(layers, name)(4, **kwargs), getattr(keras.layers, name)(4, **kwargs)
    _twins(keras_cell, cell, x, states)
    assert cell.dropout_gates == gates
    _inject(keras_cell, cell, _masks(rng, gates, x.shape), _masks(rng, gates, (3, 4)))
    _compare(cell(x, states, training=True), keras_cell(x, states, training=True))


@pytest.mark.keras_parity
def test_conv_lstm_cell_per_gate_masks_give_keras_training_step(keras):
    from keras.src.layers.rnn.conv_lstm import ConvLSTMCell as KerasConvLSTMCell

    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 5, 5, 3)).astype(np.float32)
    states = [rng.normal(size=(2, 5, 5, 2)).astype(np.float32) for _ in range(2)]
    kwargs = dict(rank=2, filters=2, kernel_size=3, padding="same", dropout=0.5, recurrent_dropout=0.5)
    cell, keras_cell = layers.ConvLSTMCell(**kwargs), KerasConvLSTMCell(**kwargs)
    _twins(keras_cell, cell, x, states)
    _inject(keras_cell, cell, _masks(rng, 4, x.shape), _masks(rng, 4, states[0].shape))
    _compare(cell(x, states, training=True), keras_cell(x, states, training=True))


@pytest.mark.parametrize("kwargs, gates", [
    (dict(dropout=0.5), None),  # implementation 2: one input mask for every gate
    (dict(dropout=0.5, implementation=1), 4),
    (dict(recurrent_dropout=0.5), 4),
])
def test_an_lstm_draws_its_masks_once_per_sequence_and_per_gate_as_keras(kwargs, gates):
    cell = layers.LSTMCell(3, **kwargs)
    assert cell.dropout_gates == gates
    cell.prepare_dropout((2, 5), (2, 3), "float32", training=True)
    input_mask, state_mask = cell._dropout_masks
    lead = () if gates is None else (gates,)
    if cell.dropout:
        assert input_mask.shape == (*lead, 2, 5)
        if gates:
            assert not all(np.array_equal(input_mask[0], m) for m in input_mask[1:])
    if cell.recurrent_dropout:
        assert state_mask.shape == (*lead, 2, 3)
    cell.prepare_dropout((2, 5), (2, 3), "float32", training=False)
    assert cell._dropout_masks == (None, None)


def test_simple_rnn_cell_shares_one_mask_as_keras():
    cell = layers.SimpleRNNCell(3, dropout=0.5, recurrent_dropout=0.5)
    assert cell.dropout_gates is None
    cell.prepare_dropout((2, 5), (2, 3), "float32", training=True)
    assert [m.shape for m in cell._dropout_masks] == [(2, 5), (2, 3)]


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_recurrent_dropout_trains_and_is_the_identity_in_inference(name):
    x = np.random.default_rng(2).normal(size=(4, 6, 3)).astype(np.float32)
    layer = getattr(layers, name)(4, dropout=0.3, recurrent_dropout=0.3, seed=3, return_sequences=True)
    plain = getattr(layers, name)(4, return_sequences=True)
    plain.build(x.shape)
    layer.build(x.shape)
    layer.set_weights(plain.get_weights())
    np.testing.assert_allclose(layer(x), plain(x), atol=1e-6)
    trained = np.asarray(layer(x, training=True))
    assert trained.shape == (4, 6, 4) and np.isfinite(trained).all()
    assert not np.allclose(trained, np.asarray(plain(x)))
