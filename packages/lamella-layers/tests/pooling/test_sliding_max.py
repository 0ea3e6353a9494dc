"""``sliding_max``: overlapping and padded max pooling, one axis at a time."""

import itertools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lamella import layers
from lamella.layers.pooling.sliding_max import axis_max, sliding_max

CASES = [
    (rank, k, s, padding)
    for rank, (k, s), padding in itertools.product(
        (1, 2, 3), [(2, 1), (3, 1), (3, 2), (2, 3)], ("valid", "same")
    )
]


def _tied(shape, seed=0):
    return np.random.default_rng(seed).integers(0, 3, shape).astype(np.float32)


def _reduce_window(x, window, strides, padding):
    return jax.lax.reduce_window(
        x, np.array(-np.inf, x.dtype), jax.lax.max, window, strides, padding.upper()
    )


@pytest.mark.parametrize("rank, k, s, padding", CASES)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_values_and_gradients_equal_reduce_windows_on_tied_inputs(rank, k, s, padding, data_format):
    shape = (2, *(7, 6, 5)[:rank], 3)
    axes = tuple(range(1, rank + 1))
    if data_format == "channels_first":
        shape = (shape[0], shape[-1], *shape[1:-1])
        axes = tuple(range(2, rank + 2))
    window = [1] * len(shape)
    strides = [1] * len(shape)
    for axis in axes:
        window[axis], strides[axis] = k, s
    x = _tied(shape)
    expected, expected_pullback = jax.vjp(lambda v: _reduce_window(v, window, strides, padding), x)
    out, pullback = jax.vjp(lambda v: sliding_max(v, (k,) * rank, (s,) * rank, padding, axes), x)
    np.testing.assert_array_equal(out, expected)
    cotangent = np.random.default_rng(1).normal(size=out.shape).astype(np.float32)
    # Overlapping windows add their contributions in another order: float rounding.
    np.testing.assert_allclose(pullback(cotangent)[0], expected_pullback(cotangent)[0], rtol=1e-6, atol=1e-6)


def test_the_first_maximum_of_an_overlapping_window_takes_the_gradient():
    # Windows of 3, stride 2: [0:3] and [2:5] share position 2.
    x = np.array([[4.0, 1.0, 4.0, 4.0, 0.0]], np.float32)
    grad = jax.grad(lambda v: jnp.sum(axis_max(v, 1, 3, 2) * jnp.array([10.0, 1.0])))(x)
    # The first window's winner is position 0, the second's position 2 (not 3).
    np.testing.assert_array_equal(grad, [[10.0, 0.0, 1.0, 0.0, 0.0]])


def test_row_major_order_decides_ties_across_rows():
    # One 2x2 window with its maximum at (0, 1) and (1, 0): (0, 1) comes first.
    x = np.array([[[[0.0], [3.0]], [[3.0], [1.0]]]], np.float32)
    grad = jax.grad(lambda v: jnp.sum(sliding_max(v, (2, 2), (1, 1), "valid", (1, 2))))(x)
    np.testing.assert_array_equal(grad[0, :, :, 0], [[0.0, 1.0], [0.0, 0.0]])


def test_same_padding_never_wins():
    # All inputs are below zero; a zero-padded border would win, -inf never does.
    x = -np.arange(1.0, 6.0, dtype=np.float32).reshape(1, 5, 1)
    out = sliding_max(x, (3,), (2,), "same", (1,))
    np.testing.assert_array_equal(out[0, :, 0], [-1.0, -2.0, -4.0])


def test_forward_mode_is_the_transpose_of_the_gradient():
    layer = layers.MaxPooling2D(pool_size=3, strides=2, padding="same")
    x = _tied((2, 7, 6, 3))
    rng = np.random.default_rng(1)
    tangent = rng.normal(size=x.shape).astype(np.float32)
    cotangent = rng.normal(size=(2, 4, 3, 3)).astype(np.float32)
    _, forward = jax.jvp(layer, (x,), (tangent,))
    _, pullback = jax.vjp(layer, x)
    (backward,) = pullback(cotangent)
    np.testing.assert_allclose(np.vdot(forward, cotangent), np.vdot(tangent, backward), rtol=1e-5)


def test_second_derivatives_follow_the_winners():
    layer = layers.MaxPooling1D(pool_size=2, strides=1)
    x = np.array([[[1.0], [1.0], [0.0], [2.0]]], np.float32)
    hessian = jax.hessian(lambda v: jnp.sum(layer(v) ** 2))(x).reshape(4, 4)
    # Windows [1, 1], [1, 0], [0, 2]: winners positions 0, 1 and 3.
    np.testing.assert_array_equal(hessian, np.diag([2.0, 2.0, 0.0, 2.0]))
