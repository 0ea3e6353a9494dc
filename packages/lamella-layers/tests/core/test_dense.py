"""``Dense``: outputs, gradients, losses, shapes, errors and configs against Keras 3."""

import json
import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lamella
from lamella import activations, constraints, initializers, layers

# Activations usable by name in a layer: threshold needs arguments (in Keras too).
ACTIVATION_NAMES = sorted(
    n for n in {*activations.ALL_ACTIVATIONS, *activations.ALIASES} if n != "threshold"
)


def random_weights(input_dim, units, use_bias=True, seed=0):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(input_dim, units)).astype(np.float32)]
    if use_bias:
        weights.append(rng.normal(size=(units,)).astype(np.float32))
    return weights


def twin_layers(keras, input_shape, units=6, seed=0, **kwargs):
    """A lamella Dense and a Keras Dense built for ``input_shape`` with equal weights."""
    ours = layers.Dense(units, **kwargs)
    theirs = keras.layers.Dense(units, **kwargs)
    ours.build(input_shape)
    theirs.build(input_shape)
    weights = random_weights(input_shape[-1], units, kwargs.get("use_bias", True), seed)
    ours.set_weights(weights)
    theirs.set_weights(weights)
    return ours, theirs


@pytest.fixture
def x2():
    return np.random.default_rng(1).normal(size=(4, 5)).astype(np.float32) * 2


@pytest.fixture
def x3():
    return np.random.default_rng(2).normal(size=(2, 3, 5)).astype(np.float32) * 2


# -- outputs -------------------------------------------------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize("use_bias", [True, False])
@pytest.mark.parametrize("rank", [2, 3])
def test_dense_matches_keras_with_same_weights(keras, x2, x3, use_bias, rank):
    x = x2 if rank == 2 else x3
    ours, theirs = twin_layers(keras, (None,) * (rank - 1) + (5,), use_bias=use_bias)
    out = ours(x)
    assert out.shape == (*x.shape[:-1], 6) and out.dtype == jnp.float32
    np.testing.assert_allclose(out, theirs(x), rtol=1e-6, atol=1e-6)
    assert [w.shape for w in ours.get_weights()] == [tuple(w.shape) for w in theirs.weights]


@pytest.mark.keras_parity
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_dense_with_each_activation_string_matches_keras(keras, activation):
    # Outputs of shape (4, 3, 26), the shape of the activation tests: the
    # activations' compiled primitives are shared when the suites run together.
    x = np.random.default_rng(2).normal(size=(4, 3, 5)).astype(np.float32)
    ours, theirs = twin_layers(keras, (None, 3, 5), units=26, activation=activation)
    if activation == "sparsemax":
        # Keras 3.15's sparsemax is wrong (keras-team/keras#23425): compare with
        # Keras's logits through lamella's sparsemax instead.
        _, logits = twin_layers(keras, (None, 3, 5), units=26)
        expected = activations.sparsemax(logits(x))
    else:
        expected = theirs(x)
    # Logits of up to ~15 pass through exp(): float32 rounding of the matmul is
    # amplified to a few ulps, hence rtol 2e-6.
    np.testing.assert_allclose(ours(x), expected, rtol=2e-6, atol=1e-6)
    assert ours.get_config()["activation"] == theirs.get_config()["activation"]


@pytest.mark.keras_parity
def test_dense_gradients_match_keras(keras, x3):
    ours, theirs = twin_layers(keras, (None, 3, 5), activation="tanh")

    def loss_of(layer):
        def loss(trainable, x):
            outputs, _ = layer.stateless_call(trainable, [], x)
            return jnp.sum(jnp.sin(3.0 * outputs))

        return jax.jit(jax.grad(loss, argnums=(0, 1)))

    trainable = [jnp.asarray(w) for w in ours.get_weights()]
    (our_kernel, our_bias), our_x = loss_of(ours)(trainable, jnp.asarray(x3))
    (their_kernel, their_bias), their_x = loss_of(theirs)(trainable, jnp.asarray(x3))
    np.testing.assert_allclose(our_x, their_x, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(our_kernel, their_kernel, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(our_bias, their_bias, rtol=1e-5, atol=1e-6)
    assert our_kernel.shape == (5, 6) and float(jnp.abs(our_kernel).sum()) > 0


@pytest.mark.keras_parity
@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "mixed_float16", "mixed_bfloat16"])
def test_dense_dtype_policies_match_keras(keras, x2, dtype):
    ours, theirs = twin_layers(keras, (None, 5), dtype=dtype)
    out, expected = ours(x2), theirs(x2)
    assert out.dtype == expected.dtype
    assert ours.kernel.value.dtype == theirs.kernel.value.dtype
    np.testing.assert_allclose(
        np.asarray(out, np.float32), np.asarray(expected, np.float32), rtol=1e-2, atol=1e-2
    )


def test_dense_formula_on_a_small_example():
    layer = layers.Dense(2, kernel_initializer="ones", bias_initializer=initializers.Constant(0.5))
    out = layer(np.array([[1.0, 2.0], [3.0, -4.0]]))
    np.testing.assert_allclose(out, [[3.5, 3.5], [-0.5, -0.5]])


# -- losses and constraints ----------------------------------------------------------


@pytest.mark.keras_parity
def test_weight_regularization_losses_match_keras(keras, x2):
    ours, theirs = twin_layers(
        keras, (None, 5), kernel_regularizer="l2",
        bias_regularizer=lamella.regularizers.L1(0.1),
    )
    theirs.bias_regularizer = keras.regularizers.L1(0.1)
    ours(x2), theirs(x2)
    np.testing.assert_allclose(
        [float(v) for v in ours.losses], [float(v) for v in theirs.losses], rtol=1e-6
    )


@pytest.mark.keras_parity
def test_activity_regularization_loss_matches_keras(keras, x2):
    ours, theirs = twin_layers(keras, (None, 5), activity_regularizer="l1")
    ours(x2), theirs(x2)
    np.testing.assert_allclose(
        [float(v) for v in ours.losses], [float(v) for v in theirs.losses], rtol=1e-6
    )


@pytest.mark.keras_parity
@pytest.mark.filterwarnings("ignore:Do not pass an `input_shape`/`input_dim`:UserWarning")
def test_tutorial_constructor_arguments_resolve_like_keras(keras):
    kwargs = dict(
        input_dim=784, activation="relu", kernel_initializer="he_uniform",
        kernel_regularizer=None, kernel_constraint="MaxNorm",
    )
    ours = layers.Dense(32, **kwargs)
    theirs = keras.layers.Dense(32, **kwargs)
    assert isinstance(ours.kernel_initializer, initializers.HeUniform)
    assert ours.kernel_regularizer is None
    assert isinstance(ours.kernel_constraint, constraints.MaxNorm)
    assert ours.activation is activations.relu
    for attribute in ("kernel_initializer", "kernel_constraint"):
        assert type(getattr(ours, attribute)).__name__ == type(getattr(theirs, attribute)).__name__
    assert ours.kernel_constraint.get_config() == theirs.kernel_constraint.get_config()
    ours.build((None, 784))
    assert ours.kernel.constraint is ours.kernel_constraint
    # He uniform: limit sqrt(6 / fan_in).
    limit = np.sqrt(6 / 784)
    kernel = np.asarray(ours.kernel.value)
    assert kernel.shape == (784, 32) and limit * 0.99 < np.abs(kernel).max() <= limit


@pytest.mark.parametrize(
    "first_layer",
    [
        lambda: layers.Dense(8, input_dim=784),
        lambda: layers.Dense(8, input_shape=(784,)),
        lambda: layers.Dense(8, batch_input_shape=(None, 784)),
    ],
    ids=["input_dim", "input_shape", "batch_input_shape"],
)
def test_input_shape_keywords_build_a_sequential_model(first_layer):
    model = lamella.Sequential([first_layer(), layers.Dense(2)])
    assert model.built
    assert [tuple(w.shape) for w in model.weights] == [(784, 8), (8,), (8, 2), (2,)]
    assert model.output_shape == (None, 2)
    assert model.predict(np.zeros((3, 784), np.float32), verbose=0).shape == (3, 2)


# -- errors --------------------------------------------------------------------------


@pytest.mark.parametrize("units", [0, -3, 2.5, True, "8", None])
def test_dense_rejects_non_positive_integer_units_quoting_them(units):
    with pytest.raises(ValueError) as error:
        layers.Dense(units)
    assert f"units={units!r}" in str(error.value)


def test_units_zero_message_names_the_argument():
    expected = "Dense expected a positive integer for units. Received: units=0"
    with pytest.raises(ValueError, match=re.escape(expected)):
        layers.Dense(0)


def test_dense_built_for_784_features_rejects_100_naming_layer_and_shapes():
    layer = layers.Dense(10, name="classifier")
    layer(np.zeros((2, 784), np.float32))
    with pytest.raises(ValueError) as error:
        layer(np.zeros((2, 100), np.float32))
    message = str(error.value)
    assert "'classifier'" in message
    assert "784" in message and "(2, 100)" in message


def test_sequential_model_for_784_features_rejects_100_before_computing():
    model = lamella.Sequential([layers.Dense(8, input_dim=784, name="hidden"), layers.Dense(2)])
    with pytest.raises(ValueError) as error:
        model.predict(np.zeros((3, 100), np.float32), verbose=0)
    message = str(error.value)
    assert "'hidden'" in message and "784" in message and "100" in message


def test_dense_rejects_unknown_keyword_arguments():
    with pytest.raises(TypeError, match="kernel_initialiser"):
        layers.Dense(3, kernel_initialiser="zeros")


def test_dense_needs_a_known_last_axis():
    with pytest.raises(ValueError, match=r"dense.*input_shape=\(None, None\)"):
        layers.Dense(3).build((None, None))


def test_dense_rejects_rank_1_inputs():
    with pytest.raises(ValueError, match="min_ndim=2"):
        layers.Dense(3)(np.zeros((5,), np.float32))


# -- shapes --------------------------------------------------------------------------


# Few examples: each new shape compiles a matmul.
@settings(max_examples=12, deadline=None)
@given(
    shape=st.lists(st.integers(1, 4), min_size=2, max_size=4),
    units=st.integers(1, 5),
)
def test_compute_output_shape_matches_the_actual_output(shape, units):
    layer = layers.Dense(units)
    out = layer(np.ones(shape, np.float32))
    assert layer.compute_output_shape(tuple(shape)) == tuple(out.shape) == (*shape[:-1], units)


@pytest.mark.keras_parity
@pytest.mark.parametrize("shape", [(None, 5), (None, None, 5), (3, None, 2, 5)])
def test_symbolic_output_shape_matches_keras(keras, shape):
    ours = layers.Dense(4)(lamella.Input(batch_shape=shape))
    theirs = keras.layers.Dense(4)(keras.Input(batch_shape=shape))
    assert tuple(ours.shape) == tuple(theirs.shape)
    expected = keras.layers.Dense(4).compute_output_shape(shape)
    assert layers.Dense(4).compute_output_shape(shape) == expected


# -- configs -------------------------------------------------------------------------


@pytest.mark.keras_parity
def test_config_round_trip_gives_identical_outputs(keras, x3):
    original = layers.Dense(
        6, activation="gelu", use_bias=True, kernel_initializer="he_uniform",
        bias_initializer=initializers.RandomNormal(seed=3), kernel_regularizer="l1_l2",
        bias_regularizer=lamella.regularizers.L2(0.5), kernel_constraint="MaxNorm",
        bias_constraint=constraints.NonNeg(), name="head",
    )
    expected = original(x3)
    config = json.loads(json.dumps(original.get_config()))
    rebuilt = layers.Dense.from_config(config)
    rebuilt.build((None, 3, 5))
    rebuilt.set_weights(original.get_weights())
    np.testing.assert_array_equal(rebuilt(x3), expected)
    assert rebuilt.get_config() == original.get_config()
    assert isinstance(rebuilt.kernel_constraint, constraints.MaxNorm)
    assert rebuilt.bias_regularizer.l2 == 0.5
    # The layer's own keys are Keras's.
    keras_keys = set(keras.layers.Dense(6).get_config()) - {"quantization_config"}
    assert keras_keys <= set(config)


def test_serialize_and_deserialize_through_the_layer_registry(x2):
    original = layers.Dense(3, activation="softmax", use_bias=False)
    expected = original(x2)
    rebuilt = layers.deserialize(layers.serialize(original))
    assert isinstance(rebuilt, layers.Dense) and rebuilt.use_bias is False
    rebuilt.build((None, 5))
    rebuilt.set_weights(original.get_weights())
    np.testing.assert_array_equal(rebuilt(x2), expected)
