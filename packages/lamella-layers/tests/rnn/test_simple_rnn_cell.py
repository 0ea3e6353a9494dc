"""``SimpleRNNCell``: one step against the formula, dropout only in training."""

import numpy as np

from lamella import layers


def test_simple_rnn_cell_step_matches_the_formula():
    rng = np.random.default_rng(2)
    x, h = rng.normal(size=(2, 3)).astype(np.float32), rng.normal(size=(2, 4)).astype(np.float32)
    cell = layers.SimpleRNNCell(4)
    output, (h_new,) = cell(x, [h])
    kernel, recurrent, bias = cell.get_weights()
    np.testing.assert_allclose(output, np.tanh(x @ kernel + h @ recurrent + bias), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h_new, output)


def test_simple_rnn_cell_drops_inputs_in_training_only():
    x, h = np.ones((64, 8), np.float32), np.zeros((64, 4), np.float32)
    cell = layers.SimpleRNNCell(4, dropout=0.5, seed=0, kernel_initializer="ones",
                                activation="linear")
    inference, _ = cell(x, [h], training=False)
    np.testing.assert_allclose(inference, np.full((64, 4), 8.0))
    training, _ = cell(x, [h], training=True)
    kept = np.asarray(training)[:, 0] / 2.0  # each kept input counts 1 / (1 - 0.5)
    assert 0 < kept.min() and kept.max() < 8 and abs(kept.mean() - 4) < 1
