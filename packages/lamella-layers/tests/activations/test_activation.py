"""``Activation``: the layer form of the activation functions, against Keras 3."""

import json

import jax.numpy as jnp
import numpy as np
import pytest

import lamella
from lamella import activations, layers

# Activations usable by name: threshold needs arguments (in Keras too).
NAMES = sorted(n for n in {*activations.ALL_ACTIVATIONS, *activations.ALIASES} if n != "threshold")


@pytest.fixture
def x():
    # The shape of lamella-core's activation tests, so that a session running both
    # compiles each activation's primitives once.
    return (np.random.default_rng(0).normal(size=(4, 3, 26)) * 4).astype(np.float32)


@pytest.mark.keras_parity
@pytest.mark.parametrize("name", NAMES)
def test_activation_layer_matches_keras(keras, x, name):
    out = layers.Activation(name)(x)
    if name == "sparsemax":
        # Keras 3.15's sparsemax is wrong (keras-team/keras#23425).
        expected = activations.sparsemax(x)
    else:
        expected = keras.layers.Activation(name)(x)
    assert out.shape == expected.shape and out.dtype == jnp.float32
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", ["relu", "glu", "softmax"])
def test_symbolic_shape_equals_the_computed_shape(x, name):
    layer = layers.Activation(name)
    symbolic = layer(lamella.Input(x.shape[1:]))
    assert tuple(symbolic.shape) == (None, *layer(x).shape[1:])
    assert layer.compute_output_shape(x.shape) == layer(x).shape


def test_activation_layer_accepts_callables_and_none(x):
    np.testing.assert_array_equal(layers.Activation(None)(x), x)
    np.testing.assert_allclose(layers.Activation(jnp.abs)(x), np.abs(x))
    assert layers.Activation("swish").activation is activations.silu


def test_unknown_activation_name_raises_value_error_listing_names():
    with pytest.raises(ValueError) as error:
        layers.Activation("rleu")
    assert "'rleu'" in str(error.value) and "'relu'" in str(error.value)


@pytest.mark.keras_parity
@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "mixed_float16"])
def test_activation_layer_dtype_policy_matches_keras(keras, x, dtype):
    out = layers.Activation("gelu", dtype=dtype)(x)
    expected = keras.layers.Activation("gelu", dtype=dtype)(x)
    assert out.dtype == expected.dtype
    np.testing.assert_array_equal(np.asarray(out, np.float32), np.asarray(expected, np.float32))


@pytest.mark.keras_parity
def test_shapes_and_masking_match_keras(keras):
    ours, theirs = layers.Activation("relu"), keras.layers.Activation("relu")
    for shape in [(None, 3), (2, None, 5), (None,)]:
        assert ours.compute_output_shape(shape) == theirs.compute_output_shape(shape)
    assert tuple(ours(lamella.Input((7, 2))).shape) == tuple(theirs(keras.Input((7, 2))).shape)
    assert ours.supports_masking is theirs.supports_masking is True
    assert ours.built and not ours.weights


@pytest.mark.keras_parity
@pytest.mark.parametrize("name", ["relu", "softmax", "swish", "hard_swish"])
def test_config_matches_keras_and_round_trips(keras, x, name):
    original = layers.Activation(name, name="act")
    config = json.loads(json.dumps(original.get_config()))
    expected = keras.layers.Activation(name, name="act").get_config()
    assert config["activation"] == expected["activation"]
    assert {k: v for k, v in config.items() if k != "dtype"} == {
        k: v for k, v in expected.items() if k != "dtype"
    }
    rebuilt = layers.Activation.from_config(config)
    np.testing.assert_array_equal(rebuilt(x), original(x))
    np.testing.assert_array_equal(layers.deserialize(layers.serialize(original))(x), original(x))


def test_in_a_sequential_model_the_activation_applies_after_dense():
    model = lamella.Sequential([
        layers.Dense(3, input_dim=2, kernel_initializer="ones", bias_initializer="zeros"),
        layers.Activation("relu"),
    ])
    np.testing.assert_array_equal(
        model.predict(np.array([[1.0, 1.0], [-1.0, -2.0]], np.float32), verbose=0),
        [[2.0, 2.0, 2.0], [0.0, 0.0, 0.0]],
    )
