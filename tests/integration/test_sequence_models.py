"""Recurrent models of the seed tutorials and classic sequence tasks, trained with
lamella's losses and optimizers: the stacked LSTM classifier (plain and stateful),
sine-wave regression, text classification with Embedding + LSTM, and attention."""

import numpy as np
import pytest

import lamella
from lamella.layers import LSTM, Bidirectional, Dense, Embedding, GRU, MultiHeadAttention
from lamella.models import Sequential
from lamella.utils import to_categorical

DATA_DIM, TIMESTEPS, NUM_CLASSES = 16, 8, 10


def _pattern_sequences(n, seed):
    """Noise sequences where class c raises feature c at every timestep: learnable
    only by looking across the sequence (each step alone is noisy)."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, NUM_CLASSES, n)
    x = rng.normal(size=(n, TIMESTEPS, DATA_DIM)).astype(np.float32)
    x[np.arange(n), :, labels] += 2.0
    return x, to_categorical(labels, NUM_CLASSES)


def test_seed_stacked_lstm_classifier_learns_the_task():
    x_train, y_train = _pattern_sequences(1024, seed=0)
    x_val, y_val = _pattern_sequences(256, seed=1)
    lamella.utils.set_random_seed(2)
    # The seed: three LSTMs, the first two returning sequences, then a softmax.
    model = Sequential()
    model.add(LSTM(32, return_sequences=True, input_shape=(TIMESTEPS, DATA_DIM)))
    model.add(LSTM(32, return_sequences=True))
    model.add(LSTM(32))
    model.add(Dense(NUM_CLASSES, activation="softmax"))
    model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=64, epochs=12, verbose=0,
                        validation_data=(x_val, y_val))
    assert history.history["val_accuracy"][-1] > 0.9
    assert history.history["loss"][-1] < history.history["loss"][0] / 4


def test_seed_stateful_stacked_lstm_trains_and_carries_state():
    batch_size = 32
    x_train, y_train = _pattern_sequences(batch_size * 20, seed=3)
    x_val, y_val = _pattern_sequences(batch_size * 3, seed=4)
    lamella.utils.set_random_seed(5)
    model = Sequential()
    model.add(LSTM(32, return_sequences=True, stateful=True,
                   batch_input_shape=(batch_size, TIMESTEPS, DATA_DIM)))
    model.add(LSTM(32, return_sequences=True, stateful=True))
    model.add(LSTM(32, stateful=True))
    model.add(Dense(NUM_CLASSES, activation="softmax"))
    model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=batch_size, epochs=8, shuffle=False,
                        validation_data=(x_val, y_val), verbose=0)
    assert history.history["accuracy"][-1] > 0.8
    assert history.history["loss"][-1] < history.history["loss"][0] / 2
    # fit carried the states: they hold the last batch's, until reset_states.
    states = model.layers[2].states
    assert np.abs(np.asarray(states[0])).sum() > 0
    model.reset_states()
    assert all(np.abs(np.asarray(s)).sum() == 0 for layer in model.layers[:3] for s in layer.states)


def test_stateful_fit_threads_the_state_through_consecutive_batches():
    # Each sample continues the same sample of the previous batch: the target is the
    # running sum over the whole long sequence, which a stateful model can learn from
    # chunks of 4 steps while a stateless one cannot see past its chunk.
    rng = np.random.default_rng(6)
    batch, chunks, steps = 8, 6, 4
    long = rng.uniform(-1, 1, size=(batch, chunks * steps, 1)).astype(np.float32)
    running = np.cumsum(long, axis=1)
    x = np.concatenate([long[:, k * steps:(k + 1) * steps] for k in range(chunks)])
    y = np.concatenate([running[:, (k + 1) * steps - 1] for k in range(chunks)]) / 4

    def trained(stateful):
        lamella.utils.set_random_seed(7)
        model = Sequential([
            lamella.Input((steps, 1), batch_size=batch),
            lamella.layers.SimpleRNN(16, stateful=stateful), Dense(1),
        ])
        model.compile(optimizer=lamella.optimizers.Adam(0.01), loss="mse")
        for _ in range(60):
            model.fit(x, y, epochs=1, shuffle=False, verbose=0)
            if stateful:
                model.reset_states()
        loss = model.evaluate(x, y, verbose=0)
        return loss

    assert trained(stateful=True) < 0.5 * trained(stateful=False)


def test_lstm_predicts_a_sine_wave():
    t = np.arange(0, 60, 0.1, dtype=np.float32)
    wave = np.sin(t)
    window = 20
    x = np.stack([wave[i:i + window] for i in range(len(wave) - window)])[..., None]
    y = wave[window:][:, None]
    lamella.utils.set_random_seed(8)
    model = Sequential([lamella.Input((window, 1)), LSTM(16), Dense(1)])
    model.compile(optimizer="adam", loss="mean_squared_error")
    model.fit(x[:450], y[:450], batch_size=32, epochs=25, verbose=0)
    mse = model.evaluate(x[450:], y[450:], verbose=0)
    assert mse < 0.01


def _token_data(n, seed, length=12, vocabulary=30):
    """Padded token sequences; label 1 when token 7 occurs in the real part."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n, length), np.int32)
    labels = rng.integers(0, 2, n)
    for i in range(n):
        size = rng.integers(4, length + 1)
        tokens = rng.integers(8, vocabulary, size)
        if labels[i]:
            tokens[rng.integers(0, size)] = 7
        x[i, :size] = tokens
    return x, labels.astype(np.float32)[:, None]


def test_embedding_lstm_text_classifier_learns_with_padding_masks():
    x_train, y_train = _token_data(1200, seed=9)
    x_val, y_val = _token_data(300, seed=10)
    lamella.utils.set_random_seed(11)
    model = Sequential([
        lamella.Input((None,), dtype="int32"),
        Embedding(30, 16, mask_zero=True),
        LSTM(16),
        Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=50, epochs=15, verbose=0,
                        validation_data=(x_val, y_val))
    assert history.history["val_accuracy"][-1] > 0.9
    # The mask makes padding irrelevant: more zeros at the end change nothing.
    padded = np.pad(x_val[:5], ((0, 0), (0, 6)))
    np.testing.assert_allclose(model.predict(padded, verbose=0), model.predict(x_val[:5], verbose=0),
                               atol=1e-5)


def test_bidirectional_gru_and_self_attention_classifier_learns():
    x_train, y_train = _token_data(1200, seed=12)
    x_val, y_val = _token_data(300, seed=13)
    lamella.utils.set_random_seed(14)
    tokens = lamella.Input((None,), dtype="int32")
    embedded = Embedding(30, 16, mask_zero=True)(tokens)
    attended = MultiHeadAttention(num_heads=2, key_dim=8)(embedded, embedded)
    encoded = Bidirectional(GRU(8))(attended)
    model = lamella.Model(tokens, Dense(1, activation="sigmoid")(encoded))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=50, epochs=15, verbose=0,
                        validation_data=(x_val, y_val))
    assert history.history["val_accuracy"][-1] > 0.9


def _masked_tagger(api, keras_like):
    """Embedding(mask_zero) -> SimpleRNN(return_sequences) -> Dense softmax: a
    per-timestep classifier whose output carries the padding mask."""
    inputs = api.Input((6,))
    h = keras_like.Embedding(12, 4, mask_zero=True)(inputs)
    h = keras_like.SimpleRNN(5, return_sequences=True)(h)
    return api.Model(inputs, keras_like.Dense(3, activation="softmax")(h))


@pytest.mark.keras_parity
def test_masked_sequence_outputs_weigh_losses_metrics_and_gradients_as_keras(keras):
    # Keras 3 applies a model's output mask to its losses and metrics: padded
    # timesteps count for nothing (Keras 2 did the same through sample weights).
    rng = np.random.default_rng(0)
    x = rng.integers(1, 12, size=(16, 6))
    x[::2, 4:] = 0
    x[1::3, :2] = 0
    y = rng.integers(0, 3, size=(16, 6))
    ours, theirs = _masked_tagger(lamella, lamella.layers), _masked_tagger(keras, keras.layers)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    ours.compile(optimizer=lamella.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy",
                 metrics=["sparse_categorical_accuracy"])
    theirs.compile(optimizer=keras.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy",
                   metrics=["sparse_categorical_accuracy"])
    expected = theirs.evaluate(x, y, batch_size=8, verbose=0)
    np.testing.assert_allclose(ours.evaluate(x, y, batch_size=8, verbose=0), expected, rtol=1e-5)
    ours.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    theirs.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-4, atol=1e-5)
