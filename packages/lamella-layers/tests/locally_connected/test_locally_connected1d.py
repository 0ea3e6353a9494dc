"""``LocallyConnected1D`` (Keras 2 semantics) against a plain numpy loop."""

import math

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


def reference(x, kernel, bias, k, s, padding, data_format):
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    n, steps, _ = x.shape
    if padding == "same":
        out = math.ceil(steps / s)
        total = max((out - 1) * s + k - steps, 0)
        x = np.pad(x, [(0, 0), (total // 2, total - total // 2), (0, 0)])
    else:
        out = (steps - k) // s + 1
    result = np.stack([
        (np.moveaxis(x[:, t * s:t * s + k], -1, 1) if data_format == "channels_first" else x[:, t * s:t * s + k])
        .reshape(n, -1) @ kernel[t]
        for t in range(out)
    ], axis=1)
    if bias is not None:
        result = result + bias
    return result if data_format == "channels_last" else np.moveaxis(result, -1, 1)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("config", [
    dict(kernel_size=3),
    dict(kernel_size=2, strides=3),
    dict(kernel_size=4, strides=2, padding="same", implementation=3),
    dict(kernel_size=1, use_bias=False),
], ids=["plain", "strided", "same", "pointwise"])
def test_locally_connected1d_matches_the_numpy_loop(random_input, config, data_format):
    x = random_input(3, 10, 4)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    layer = layers.LocallyConnected1D(5, data_format=data_format, **config)
    layer.build(x.shape)
    rng = np.random.default_rng(2)
    layer.set_weights([rng.normal(size=w.shape).astype(np.float32) for w in layer.get_weights()])
    weights = layer.get_weights()
    expected = reference(x, weights[0], weights[1] if len(weights) > 1 else None,
                         layer.kernel_size[0], layer.strides[0], layer.padding, data_format)
    out = np.asarray(layer(x))
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    assert layer.compute_output_shape(x.shape) == out.shape


def test_weights_have_keras_2_shapes():
    layer = layers.LocallyConnected1D(6, 3, strides=2)
    layer.build((None, 9, 4))
    assert [w.shape for w in layer.weights] == [(4, 12, 6), (4, 6)]


def test_locally_connected1d_keeps_the_layer_contract():
    check_layer(layers.LocallyConnected1D, {"filters": 3, "kernel_size": 2}, input_shape=(2, 5, 2),
                expected_output_shape=(2, 4, 3), registered_as="LocallyConnected1D")


def test_too_short_input_raises():
    with pytest.raises(ValueError, match="too small"):
        layers.LocallyConnected1D(2, 5).build((None, 3, 2))
