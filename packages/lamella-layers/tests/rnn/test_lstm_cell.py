"""``LSTMCell``: one step against the formula; config."""

import numpy as np

from lamella import layers


def test_lstm_cell_step_matches_the_formula():
    rng = np.random.default_rng(0)
    x, h, c = (rng.normal(size=s).astype(np.float32) for s in ((2, 3), (2, 4), (2, 4)))
    cell = layers.LSTMCell(4)
    output, (h_new, c_new) = cell(x, [h, c])
    kernel, recurrent, bias = cell.get_weights()
    z = x @ kernel + h @ recurrent + bias
    sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    i, f, g, o = np.split(z, 4, axis=-1)
    c_ref = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    np.testing.assert_allclose(c_new, c_ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h_new, sigmoid(o) * np.tanh(c_ref), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(output, h_new)


def test_lstm_cell_config_round_trips():
    cell = layers.LSTMCell(3, recurrent_activation="hard_sigmoid", dropout=0.1, seed=4)
    assert layers.LSTMCell.from_config(cell.get_config()).get_config() == cell.get_config()
