"""``tile_max``: the non-overlapping max pool's own derivative rule."""

import jax
import jax.numpy as jnp
import numpy as np

from lamella import layers
from lamella.layers.pooling.tile_max import tile_max


def _tied(shape, seed=0):
    return np.random.default_rng(seed).integers(0, 3, shape).astype(np.float32)


def test_the_first_maximum_in_window_order_takes_the_gradient():
    x = _tied((2, 4, 6, 2, 3))
    tiles = x.reshape(2, 2, 2, 3, 2, 1, 2, 3)  # windows of 2x2x2 along axes 2, 4, 6
    grad = np.asarray(jax.grad(lambda t: jnp.sum(tile_max(t, (2, 4, 6))))(tiles))
    # numpy's argmax returns the first maximum of the row-major flattened window.
    windows = np.moveaxis(tiles, (2, 4, 6), (5, 6, 7)).reshape(2, 2, 3, 1, 3, 8)
    expected = np.zeros_like(windows)
    np.put_along_axis(expected, windows.argmax(axis=-1)[..., None], 1.0, axis=-1)
    expected = np.moveaxis(expected.reshape(2, 2, 3, 1, 3, 2, 2, 2), (5, 6, 7), (2, 4, 6))
    np.testing.assert_array_equal(grad, expected)
    assert (windows == windows.max(axis=-1, keepdims=True)).sum() > windows[..., 0].size  # ties present


def test_forward_mode_is_the_transpose_of_the_gradient():
    layer = layers.MaxPooling2D(pool_size=2)
    x = _tied((2, 7, 6, 3))
    rng = np.random.default_rng(1)
    tangent = rng.normal(size=x.shape).astype(np.float32)
    cotangent = rng.normal(size=(2, 3, 3, 3)).astype(np.float32)
    _, forward = jax.jvp(layer, (x,), (tangent,))
    _, pullback = jax.vjp(layer, x)
    (backward,) = pullback(cotangent)
    np.testing.assert_allclose(np.vdot(forward, cotangent), np.vdot(tangent, backward), rtol=1e-5)


def test_second_derivatives_follow_the_winners():
    layer = layers.MaxPooling1D(pool_size=2)
    x = np.array([[[1.0], [1.0], [0.0], [2.0], [5.0]]], np.float32)
    hessian = jax.hessian(lambda v: jnp.sum(layer(v) ** 2))(x).reshape(5, 5)
    # Winners: the first 1 of the tie, the 2; the fifth step is cropped.
    np.testing.assert_array_equal(hessian, np.diag([2.0, 0.0, 0.0, 2.0, 0.0]))
