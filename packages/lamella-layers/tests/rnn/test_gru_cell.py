"""``GRUCell``: one step against the formula (reset_after=True); config."""

import numpy as np

from lamella import layers


def test_gru_cell_step_matches_the_reset_after_formula():
    rng = np.random.default_rng(1)
    x, h = rng.normal(size=(2, 3)).astype(np.float32), rng.normal(size=(2, 4)).astype(np.float32)
    cell = layers.GRUCell(4, bias_initializer="random_normal")
    output, (h_new,) = cell(x, [h])
    kernel, recurrent, bias = cell.get_weights()
    sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    xz, xr, xn = np.split(x @ kernel + bias[0], 3, axis=-1)
    rz, rr, rn = np.split(h @ recurrent + bias[1], 3, axis=-1)
    z, r = sigmoid(xz + rz), sigmoid(xr + rr)
    expected = z * h + (1 - z) * np.tanh(xn + r * rn)
    np.testing.assert_allclose(h_new, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(output, h_new)


def test_gru_cell_config_round_trips():
    cell = layers.GRUCell(3, reset_after=False)
    assert layers.GRUCell.from_config(cell.get_config()).get_config() == cell.get_config()
