"""``RNN``: user cells, stacked cells, initial states, time-major inputs, masks,
statefulness across batches in predict and evaluate, configs and errors."""

import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lamella
from lamella import layers
from lamella.testing import PlainSGD, squared_error


class MinimalCell(layers.Layer):
    """The Keras guide's minimal cell: h = x · W + tanh(h_prev · U)."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent_kernel")

    def call(self, inputs, states):
        h = jnp.matmul(inputs, self.kernel.value) + jnp.tanh(
            jnp.matmul(states[0], self.recurrent_kernel.value)
        )
        return h, [h]


def _reference(x, kernel, recurrent, mask=None):
    h = np.zeros((x.shape[0], kernel.shape[1]), np.float32)
    outputs = []
    for t in range(x.shape[1]):
        new = x[:, t] @ kernel + np.tanh(h @ recurrent)
        if mask is not None:
            new = np.where(mask[:, t, None], new, h)
        h = new
        outputs.append(h)
    return np.stack(outputs, axis=1)


def test_rnn_runs_a_user_cell_like_the_reference_loop(sequences):
    x, mask = sequences
    layer = layers.RNN(MinimalCell(3), return_sequences=True)
    out = np.asarray(layer(x))
    kernel, recurrent = layer.get_weights()
    np.testing.assert_allclose(out, _reference(x, kernel, recurrent), rtol=1e-5, atol=1e-5)
    masked = np.asarray(layer(x, mask=mask))
    np.testing.assert_allclose(masked, _reference(x, kernel, recurrent, mask), rtol=1e-5, atol=1e-5)


@pytest.mark.keras_parity
@pytest.mark.parametrize("return_state", [False, True])
def test_stacked_cells_match_keras(keras, sequences, copy_weights, assert_same_outputs, return_state):
    x, mask = sequences
    ours = layers.RNN([layers.LSTMCell(4), layers.GRUCell(3)], return_state=return_state)
    theirs = keras.layers.RNN(
        [keras.layers.LSTMCell(4), keras.layers.GRUCell(3)], return_state=return_state
    )
    theirs.build(x.shape)
    ours.build(x.shape)
    copy_weights(theirs, ours)
    ours_out, theirs_out = ours(x, mask=mask), theirs(x, mask=mask)
    flatten = lambda o: [a for item in (o if isinstance(o, list | tuple) else [o])  # noqa: E731
                         for a in (item if isinstance(item, list | tuple) else [item])]
    assert_same_outputs(flatten(ours_out), flatten(theirs_out))


@pytest.mark.keras_parity
def test_rnn_of_a_cell_with_initial_state_matches_keras(keras, sequences, copy_weights, assert_same_outputs):
    x, _ = sequences
    h0 = np.random.default_rng(5).normal(size=(3, 4)).astype(np.float32)
    ours = layers.RNN(layers.SimpleRNNCell(4), return_sequences=True)
    theirs = keras.layers.RNN(keras.layers.SimpleRNNCell(4), return_sequences=True)
    theirs.build(x.shape)
    ours.build(x.shape)
    copy_weights(theirs, ours)
    assert_same_outputs(ours(x, initial_state=[h0]), theirs(x, initial_state=[h0]))


def test_time_major_inputs_give_time_major_sequences(sequences):
    x, _ = sequences
    batch_major = layers.LSTM(3, return_sequences=True)
    time_major = layers.LSTM(3, return_sequences=True, time_major=True)
    batch_major.build(x.shape)
    time_major.build(np.swapaxes(x, 0, 1).shape)
    time_major.set_weights(batch_major.get_weights())
    out = time_major(np.swapaxes(x, 0, 1))
    np.testing.assert_allclose(np.swapaxes(out, 0, 1), batch_major(x), atol=1e-6)
    assert time_major.compute_output_shape((6, None, 4)) == (6, None, 3)


def test_unroll_computes_what_the_rolled_loop_does(sequences):
    x, mask = sequences
    rolled = layers.GRU(3, return_sequences=True)
    unrolled = layers.GRU(3, return_sequences=True, unroll=True)
    rolled.build(x.shape)
    unrolled.build(x.shape)
    unrolled.set_weights(rolled.get_weights())
    np.testing.assert_allclose(unrolled(x, mask=mask), rolled(x, mask=mask), atol=1e-6)


def test_zero_output_for_mask_zeroes_masked_timesteps(sequences):
    x, mask = sequences
    layer = layers.SimpleRNN(3, return_sequences=True, zero_output_for_mask=True)
    out = np.asarray(layer(x, mask=mask))
    assert np.all(out[~mask] == 0) and np.all(np.abs(out[mask]).sum(-1) > 0)


def test_rnn_passes_the_sequence_mask_on_only_with_return_sequences(sequences):
    x, mask = sequences
    assert layers.LSTM(2, return_sequences=True).compute_mask(x, mask) is mask
    assert layers.LSTM(2).compute_mask(x, mask) is None
    assert layers.LSTM(2, return_state=True).compute_mask(x, mask) == [None, None, None]


def test_rnn_config_serializes_its_cell():
    layer = layers.RNN([layers.LSTMCell(4), layers.GRUCell(2)], go_backwards=True)
    config = lamella.layers.serialize(layer)
    copy = lamella.layers.deserialize(config)
    assert isinstance(copy.cell, layers.StackedRNNCells) and copy.go_backwards
    assert [type(c) for c in copy.cell.cells] == [layers.LSTMCell, layers.GRUCell]
    assert copy.get_config() == layer.get_config()


def test_rnn_symbolic_shapes_with_return_state():
    inputs = lamella.Input((7, 3))
    output, h, c = layers.LSTM(4, return_state=True, return_sequences=True)(inputs)
    assert output.shape == (None, 7, 4) and h.shape == c.shape == (None, 4)


def test_rnn_rejects_an_object_that_is_not_a_cell():
    with pytest.raises(ValueError, match="RNN expected a cell with a call"):
        layers.RNN(layers.Dense(3))


# -- stateful --------------------------------------------------------------------------


def _stateful_model(units=3, batch=2, steps=2, features=4):
    return lamella.Sequential([
        lamella.Input((steps, features), batch_size=batch),
        layers.LSTM(units, stateful=True, return_sequences=True),
    ])


def test_stateful_predict_batch_after_batch_equals_the_whole_sequence():
    rng = np.random.default_rng(0)
    long = rng.normal(size=(2, 8, 4)).astype(np.float32)
    whole = layers.LSTM(3, return_sequences=True)
    expected = np.asarray(whole(long))
    model = _stateful_model()
    model.layers[0].set_weights(whole.get_weights())
    # Batch k holds timesteps [2k, 2k + 2) of both sequences.
    chunks = np.concatenate([long[:, t:t + 2] for t in range(0, 8, 2)], axis=0)
    out = model.predict(chunks, verbose=0)
    got = np.concatenate([out[k:k + 2] for k in range(0, 8, 2)], axis=1)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    # Calls of predict go on from where the last one stopped, until reset_states.
    model.reset_states()
    first = model.predict(chunks[:2], verbose=0)
    second = model.predict(chunks[2:4], verbose=0)
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), expected[:, :4], atol=1e-5)
    model.layers[0].reset_states()
    np.testing.assert_allclose(model.predict(chunks[:2], verbose=0), expected[:, :2], atol=1e-5)


def test_stateful_evaluate_carries_the_state_across_batches():
    rng = np.random.default_rng(1)
    long = rng.normal(size=(2, 4, 4)).astype(np.float32)
    whole = layers.LSTM(3, return_sequences=True)
    expected = np.asarray(whole(long))
    model = _stateful_model()
    model.layers[0].set_weights(whole.get_weights())
    model.compile(optimizer=PlainSGD(0.1), loss=squared_error)
    chunks = np.concatenate([long[:, :2], long[:, 2:]], axis=0)
    targets = np.concatenate([expected[:, :2], expected[:, 2:]], axis=0)
    assert model.evaluate(chunks, targets, verbose=0) < 1e-10


def test_stateful_layer_state_is_not_a_weight_and_reset_states_accepts_values():
    model = _stateful_model()
    layer = model.layers[0]
    assert len(layer.weights) == 3 and len(layer.non_trainable_variables) == 2
    h = np.ones((2, 3), np.float32)
    layer.reset_states([h, 2 * h])
    np.testing.assert_allclose(layer.states[1], 2 * h)
    with pytest.raises(ValueError, match="reset_states received 1 arrays"):
        layer.reset_states([h])


def test_stateful_layer_without_a_fixed_batch_size_is_an_error():
    with pytest.raises(ValueError, match="is stateful, so it needs a fixed batch size"):
        lamella.Sequential([lamella.Input((2, 4)), layers.LSTM(3, stateful=True)])


def test_stateful_layer_gets_its_batch_from_batch_input_shape():
    model = lamella.Sequential([layers.GRU(3, stateful=True, batch_input_shape=(4, 2, 1))])
    assert model.layers[0].states[0].shape == (4, 3)
    with pytest.raises(ValueError, match="multiple of 4. Received 6"):
        model.predict(np.ones((6, 2, 1), np.float32), verbose=0)


def test_stateful_layer_called_on_another_batch_size_says_so():
    layer = layers.SimpleRNN(2, stateful=True)
    layer.build((3, 5, 1))
    with pytest.raises(ValueError, match="stateful with a batch size of 3, but received a batch of 2"):
        layer(np.ones((2, 5, 1), np.float32))


def test_reset_states_on_a_layer_that_is_not_stateful_is_an_error():
    with pytest.raises(AttributeError, match="is not stateful"):
        layers.LSTM(2).reset_states()


@pytest.mark.keras_parity
@pytest.mark.parametrize("name, kwargs", [
    ("SimpleRNN", {}), ("LSTM", {}), ("GRU", {}), ("GRU", {"reset_after": False}),
    ("LSTM", {"return_sequences": False, "go_backwards": False}),
], ids=["SimpleRNN", "LSTM", "GRU", "GRU-reset-before", "LSTM-last"])
@pytest.mark.parametrize("masked", [False, True], ids=["no-mask", "mask"])
def test_weight_and_input_gradients_match_keras(keras, sequences, copy_weights, name, kwargs, masked):
    import jax

    x, mask = sequences
    mask = mask if masked else None
    kwargs = {"return_sequences": True, "go_backwards": True, **kwargs}
    ours = getattr(layers, name)(4, **kwargs)
    theirs = getattr(keras.layers, name)(4, **kwargs)
    theirs.build(x.shape)
    ours.build(x.shape)
    copy_weights(theirs, ours)
    values = [np.asarray(w) for w in theirs.get_weights()]

    def our_loss(weights, inputs):
        out, _ = ours.stateless_call(weights, [], inputs, mask=mask)
        return jnp.sum(jnp.sin(3.0 * out))

    # (Keras's cells hold a seed generator's state as a non-trainable variable.)
    their_state = [v.value for v in theirs.non_trainable_variables]

    def their_loss(weights, inputs):
        out, _ = theirs.stateless_call(weights, their_state, inputs, mask=mask)
        return jnp.sum(jnp.sin(3.0 * out))

    (our_w, our_x) = jax.grad(our_loss, argnums=(0, 1))(values, x)
    (their_w, their_x) = jax.grad(their_loss, argnums=(0, 1))(values, x)
    np.testing.assert_allclose(our_x, their_x, rtol=1e-4, atol=1e-5)
    assert float(jnp.abs(our_x).sum()) > 0
    for a, b in zip(our_w, their_w, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


@settings(max_examples=15, deadline=None)
@given(
    length=st.integers(1, 6), padding=st.integers(0, 4),
    name=st.sampled_from(["SimpleRNN", "LSTM", "GRU"]), backwards=st.booleans(),
)
def test_masked_padding_never_changes_the_last_output(length, padding, name, backwards):
    # Padding at the end, masked, leaves the result of the real steps as it was,
    # whichever direction the layer reads the sequence in.
    x = np.random.default_rng(length).normal(size=(2, length, 3)).astype(np.float32)
    layer = getattr(layers, name)(3, go_backwards=backwards, seed=0)
    padded = np.pad(x, ((0, 0), (0, padding), (0, 0)))
    mask = np.arange(length + padding)[None, :] < length
    np.testing.assert_allclose(
        layer(padded, mask=np.repeat(mask, 2, axis=0)), layer(x), rtol=1e-5, atol=1e-6
    )


def test_model_reset_states_resets_stateful_layers_and_skips_the_others():
    model = lamella.Sequential([
        lamella.Input((2, 4), batch_size=2),
        layers.LSTM(3, stateful=True, return_sequences=True),
        layers.Bidirectional(layers.GRU(2, return_sequences=True)),
        layers.SimpleRNN(2),
    ])
    model.predict(np.ones((2, 2, 4), np.float32), verbose=0)
    assert np.abs(np.asarray(model.layers[0].states[0])).sum() > 0
    model.reset_states()
    assert all(np.abs(np.asarray(s)).sum() == 0 for s in model.layers[0].states)
