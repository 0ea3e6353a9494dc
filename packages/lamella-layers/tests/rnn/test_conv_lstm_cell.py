"""``ConvLSTMCell``: one step against a numpy convolution."""

import numpy as np

from lamella import layers


def _conv1d_valid(x, kernel):
    """(batch, steps, in) * (k, in, out) -> (batch, steps - k + 1, out)."""
    k = kernel.shape[0]
    return np.stack(
        [np.einsum("bki,kio->bo", x[:, t:t + k], kernel) for t in range(x.shape[1] - k + 1)], axis=1
    )


def test_conv_lstm_cell_step_matches_numpy_convolutions():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 6, 3)).astype(np.float32)
    cell = layers.ConvLSTMCell(rank=1, filters=2, kernel_size=3)
    cell.build(x.shape)
    h, c = (rng.normal(size=(2, 4, 2)).astype(np.float32) for _ in range(2))
    output, (h_new, c_new) = cell(x, [h, c])
    kernel, recurrent, bias = cell.get_weights()
    padded = np.pad(h, ((0, 0), (1, 1), (0, 0)))
    z = _conv1d_valid(x, kernel) + _conv1d_valid(padded, recurrent) + bias
    sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    i, f, g, o = np.split(z, 4, axis=-1)
    c_ref = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    np.testing.assert_allclose(c_new, c_ref, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(h_new, sigmoid(o) * np.tanh(c_ref), rtol=1e-5, atol=1e-5)
    assert cell.state_size == [(4, 2), (4, 2)] and cell.output_size == (4, 2)
