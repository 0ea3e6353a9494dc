"""``LocallyConnected2D`` (Keras 2 semantics) against a plain numpy loop."""

import itertools
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lamella
from lamella import layers
from lamella.testing import PlainSGD, check_layer, squared_error


def same_pads(size, out, k, s):
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def reference(x, kernel, bias, kernel_size, strides, padding, data_format, xp=np):
    """Keras 2's implementation 1: one matrix product per output position, on the
    window flattened as (rows, cols, channels) or (channels, rows, cols)."""
    if data_format == "channels_first":
        x = xp.moveaxis(x, 1, -1)
    n, rows, cols, _ = x.shape
    (kr, kc), (sr, sc) = kernel_size, strides
    if padding == "same":
        out_r, out_c = math.ceil(rows / sr), math.ceil(cols / sc)
        x = xp.pad(x, [(0, 0), same_pads(rows, out_r, kr, sr), same_pads(cols, out_c, kc, sc), (0, 0)])
    else:
        out_r, out_c = (rows - kr) // sr + 1, (cols - kc) // sc + 1
    outputs = []
    for i, j in itertools.product(range(out_r), range(out_c)):
        window = x[:, i * sr:i * sr + kr, j * sc:j * sc + kc, :]
        if data_format == "channels_first":
            window = xp.moveaxis(window, -1, 1)
        outputs.append(window.reshape(n, -1) @ kernel[i * out_c + j])
    out = xp.stack(outputs, axis=1).reshape(n, out_r, out_c, -1)
    if bias is not None:
        out = out + bias
    return out if data_format == "channels_last" else xp.moveaxis(out, -1, 1)


CONFIGS = [
    dict(kernel_size=3),
    dict(kernel_size=(2, 3), strides=(2, 1)),
    dict(kernel_size=3, strides=2, padding="same"),
    dict(kernel_size=2, use_bias=False, implementation=2),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("config", CONFIGS, ids=[str(i) for i in range(len(CONFIGS))])
def test_locally_connected2d_matches_the_numpy_loop(random_input, config, data_format):
    x = random_input(2, 6, 5, 3)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    layer = layers.LocallyConnected2D(4, data_format=data_format, **config)
    layer.build(x.shape)
    rng = np.random.default_rng(1)
    layer.set_weights([rng.normal(size=w.shape).astype(np.float32) for w in layer.get_weights()])
    weights = layer.get_weights()
    expected = reference(x, weights[0], weights[1] if len(weights) > 1 else None,
                         layer.kernel_size, layer.strides, layer.padding, data_format)
    out = np.asarray(layer(x))
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    assert layer.compute_output_shape(x.shape) == out.shape


def test_weights_have_keras_2_shapes():
    layer = layers.LocallyConnected2D(5, (3, 2), strides=(1, 2))
    layer.build((None, 6, 7, 3))
    # 4 x 3 output positions, windows of 3 * 2 * 3 values.
    assert [w.shape for w in layer.weights] == [(12, 18, 5), (4, 3, 5)]
    assert layer.count_params() == 12 * 18 * 5 + 4 * 3 * 5


def test_weights_are_not_shared_between_positions(random_input):
    layer = layers.LocallyConnected2D(1, 2, use_bias=False)
    x = np.ones((1, 3, 3, 1), np.float32)
    layer.build(x.shape)
    kernel = np.zeros((4, 4, 1), np.float32)
    kernel[3] = 1.0  # only the bottom-right position has non-zero weights
    layer.set_weights([kernel])
    np.testing.assert_array_equal(np.asarray(layer(x))[0, :, :, 0], [[0, 0], [0, 4]])


def test_gradients_match_the_reference(random_input):
    x = random_input(2, 5, 4, 2)
    layer = layers.LocallyConnected2D(3, 2, strides=(2, 1), activation="tanh")
    layer.build(x.shape)
    kernel, bias = (jnp.asarray(w) for w in layer.get_weights())

    def ours(weights, inputs):
        return jnp.sum(jnp.sin(layer.stateless_call(weights, [], inputs)[0]))

    def theirs(weights, inputs):
        out = reference(inputs, weights[0], weights[1], (2, 2), (2, 1), "valid", "channels_last", xp=jnp)
        return jnp.sum(jnp.sin(jnp.tanh(out)))

    for a, b in zip(jax.grad(ours, (0, 1))([kernel, bias], x), jax.grad(theirs, (0, 1))([kernel, bias], x)):
        for u, v in zip(jax.tree.leaves(a), jax.tree.leaves(b)):
            np.testing.assert_allclose(u, v, rtol=1e-5, atol=1e-6)


def test_a_locally_connected_model_trains(random_input):
    x = random_input(32, 6, 6, 1)
    y = x[:, 2:4, 2:4, 0].mean(axis=(1, 2))[:, None]
    model = lamella.Sequential([
        lamella.Input((6, 6, 1)), layers.LocallyConnected2D(2, 3, activation="relu"),
        layers.Flatten(), layers.Dense(1),
    ])
    model.compile(optimizer=PlainSGD(0.05), loss=squared_error)
    history = model.fit(x, y, epochs=10, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_locally_connected2d_keeps_the_layer_contract():
    check_layer(layers.LocallyConnected2D, {"filters": 2, "kernel_size": 2}, input_shape=(2, 4, 4, 3),
                expected_output_shape=(2, 3, 3, 2), registered_as="LocallyConnected2D")


@settings(max_examples=10, deadline=None)
@given(size=st.integers(3, 7), kernel=st.integers(1, 3), stride=st.integers(1, 3),
       padding=st.sampled_from(["valid", "same"]))
def test_compute_output_shape_matches_the_actual_output(size, kernel, stride, padding):
    layer = layers.LocallyConnected2D(2, kernel, strides=stride, padding=padding)
    shape = (1, size, size + 1, 2)
    assert layer.compute_output_shape(shape) == tuple(layer(np.ones(shape, np.float32)).shape)


def test_unknown_spatial_sizes_are_refused_naming_the_layer():
    with pytest.raises(ValueError, match=r"'local'.*fully known.*\(None, None, 5, 3\)"):
        layers.LocallyConnected2D(2, 2, name="local").build((None, None, 5, 3))


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(filters=2, kernel_size=2, implementation=4), "implementation=4"),
    (dict(filters=0, kernel_size=2), "filters=0"),
    (dict(filters=2, kernel_size=2, padding="causal"), "padding='causal'"),
])
def test_bad_arguments_raise_naming_them(kwargs, fragment):
    with pytest.raises(ValueError, match="LocallyConnected2D") as error:
        layers.LocallyConnected2D(**kwargs)
    assert fragment in str(error.value)
