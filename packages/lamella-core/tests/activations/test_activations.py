"""Activation functions: values, arguments, dtypes and gradients against Keras 3, and
``get`` / ``serialize`` / ``deserialize`` by name."""

import itertools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lamella import activations
from lamella.activations import ALIASES, ALL_ACTIVATIONS

ALL_NAMES = sorted({*ALL_ACTIVATIONS, *ALIASES})

# Positional arguments of activations that have no defaults.
REQUIRED_ARGS = {"threshold": (0.3, -2.0)}

# Keras 3.15's sparsemax is wrong whenever two or more inputs are in the support
# (keras-team/keras#23425): it is checked against the paper's algorithm below.
KERAS_SPARSEMAX_BUG = {"sparsemax"}

EXTREMES = np.array(
    [-1e4, -100.0, -88.8, -50.0, -20.0, -6.0, -3.0, -1.0, -0.5, -0.2,
     0.0, 0.2, 0.5, 1.0, 3.0, 6.0, 20.0, 50.0, 88.8, 100.0, 1e4, 6.5, -1.5, 1.5],
    dtype=np.float32,
)


# One input shape throughout (and in lamella-layers' Activation and Dense tests):
# every new shape costs an XLA compilation per primitive, which dominates run time.
SHAPE = (4, 3, 26)


@pytest.fixture
def x():
    """Normal values of several scales plus the edges of every piecewise formula."""
    rng = np.random.default_rng(7)
    values = np.concatenate([
        rng.normal(size=96) * 5,
        rng.normal(size=96) * 0.3,
        rng.uniform(-200, 200, size=96),
        EXTREMES,
    ]).astype(np.float32)
    return values.reshape(SHAPE)


def assert_same(ours, theirs, rtol=1e-6, atol=1e-6):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.dtype == theirs.dtype
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol)


def call_both(keras, name, x, *args, **kwargs):
    if not args and not kwargs:
        args = REQUIRED_ARGS.get(name, ())
    return (
        getattr(activations, name)(x, *args, **kwargs),
        getattr(keras.activations, name)(x, *args, **kwargs),
    )


@pytest.mark.keras_parity
def test_registered_names_are_keras_names(keras):
    keras_names = {
        n for n in dir(keras.activations)
        if not n.startswith("_") and n not in ("get", "serialize", "deserialize")
    }
    assert set(ALL_NAMES) == keras_names


@pytest.mark.keras_parity
@pytest.mark.parametrize("name", [n for n in ALL_NAMES if n not in KERAS_SPARSEMAX_BUG])
def test_activation_matches_keras_on_random_and_extreme_inputs(keras, name, x):
    assert_same(*call_both(keras, name, x))


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "negative_slope, max_value, threshold",
    list(itertools.product([0.0, 0.1, 0.5], [None, 6, 6.0, 3.5, 0], [0, 1.5, -1.0])),
)
def test_relu_arguments_match_keras(keras, x, negative_slope, max_value, threshold):
    assert_same(*call_both(
        keras, "relu", x, negative_slope=negative_slope, max_value=max_value,
        threshold=threshold,
    ))


@pytest.mark.keras_parity
# The keras fixture is the imported module: nothing to reset between examples.
@settings(
    max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    negative_slope=st.floats(0, 1),
    max_value=st.none() | st.floats(0, 50),
    threshold=st.floats(-5, 5),
)
def test_relu_matches_keras_for_any_arguments(keras, negative_slope, max_value, threshold):
    x = np.linspace(-60, 60, 241, dtype=np.float32)
    assert_same(*call_both(
        keras, "relu", x, negative_slope=negative_slope, max_value=max_value,
        threshold=threshold,
    ))


def test_relu_formula_with_every_argument():
    x = np.array([-3.0, -1.0, 0.5, 1.0, 2.0, 8.0], dtype=np.float32)
    out = activations.relu(x, negative_slope=0.5, max_value=5.0, threshold=1.0)
    # below the threshold: 0.5 * (x - 1); above: x, capped at 5.
    np.testing.assert_allclose(out, [-2.0, -1.0, -0.25, -0.0, 2.0, 5.0])


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "name, kwargs",
    [
        *[("elu", {"alpha": a}) for a in (0.5, 1.0, 2.0)],
        *[("celu", {"alpha": a}) for a in (0.5, 1.0, 2.0)],
        *[("gelu", {"approximate": a}) for a in (True, False)],
        *[("leaky_relu", {"negative_slope": s}) for s in (0.0, 0.01, 0.3, 1.0)],
        *[("soft_shrink", {"threshold": t}) for t in (0.0, 0.5, 2.0)],
        *[("hard_shrink", {"threshold": t}) for t in (0.0, 0.5, 2.0)],
        *[("squareplus", {"b": b}) for b in (0, 1, 4, 10)],
        *[("softmax", {"axis": a}) for a in (-1, 0, 1, 2)],
        *[("log_softmax", {"axis": a}) for a in (-1, 0, 1, 2)],
        *[("threshold", {"threshold": t, "default_value": v})
          for t, v in ((0.0, 0.0), (1.0, -5.0), (-2.0, 3.0))],
    ],
)
def test_activation_arguments_match_keras(keras, x, name, kwargs):
    assert_same(*call_both(keras, name, x, **kwargs))


@pytest.mark.keras_parity
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("axis", [(1, 2), (0, 2)])
def test_softmax_over_several_axes_matches_keras(keras, x, name, axis):
    # Keras reshapes the axes into one before a log-softmax, jax reduces over them
    # directly: the sums are added in another order, hence 1e-6 relative on values
    # of magnitude ~100 (log_softmax of the +-200 inputs).
    assert_same(*call_both(keras, name, x, axis=axis), rtol=1e-6, atol=2e-6)


@pytest.mark.keras_parity
@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_glu_matches_keras_on_each_even_axis(keras, axis):
    x = np.random.default_rng(3).normal(size=(4, 6, 8)).astype(np.float32) * 4
    assert_same(*call_both(keras, "glu", x, axis=axis))


def test_glu_rejects_an_odd_axis_naming_the_shape():
    with pytest.raises(ValueError, match=r"even size.*\(2, 3\)"):
        activations.glu(np.zeros((2, 3), np.float32))


def test_softmax_rows_are_distributions_even_for_huge_logits(x):
    out = np.asarray(activations.softmax(x * 1e3))
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-6)


# Return float32 for 16-bit inputs (mixed precision's probabilities).
FLOAT32_FOR_LOW_PRECISION = {"softmax", "log_softmax"}

# bfloat16 for every activation; float16 (which follows the same code path, and
# costs as much again in XLA compilations) for a sample of the formulas.
LOW_PRECISION_CASES = [
    *[(n, "bfloat16") for n in ALL_NAMES if n not in KERAS_SPARSEMAX_BUG],
    *[(n, "float16") for n in ("relu", "gelu", "softmax", "sigmoid", "elu", "mish")],
]


@pytest.mark.keras_parity
@pytest.mark.parametrize("name, dtype", LOW_PRECISION_CASES)
def test_low_precision_dtype_is_kept_and_matches_keras(keras, name, dtype):
    # Inputs of moderate size: float16 overflows exp() above ~11.
    x = jnp.asarray(np.linspace(-8, 8, 312, dtype=np.float32).reshape(SHAPE), dtype)
    ours, theirs = call_both(keras, name, x)
    assert theirs.dtype == jnp.dtype(dtype)
    if name in FLOAT32_FOR_LOW_PRECISION:
        # Computed in float32 on purpose: Keras's 16-bit result is ours rounded,
        # to within one unit of the 16-bit type (its own sum is rounded too).
        assert ours.dtype == jnp.float32
        np.testing.assert_allclose(
            np.asarray(ours, np.float32), np.asarray(theirs, np.float32),
            rtol=2 * float(jnp.finfo(dtype).eps), atol=float(jnp.finfo(dtype).eps),
        )
        return
    assert ours.dtype == jnp.dtype(dtype)
    np.testing.assert_array_equal(
        np.asarray(ours, np.float32), np.asarray(theirs, np.float32)
    )


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("relu", {}), ("relu", {"max_value": 6}), ("relu", {"threshold": 1}),
        ("relu", {"max_value": 3}), ("hard_tanh", {}), ("linear", {}),
        ("threshold", {"threshold": 0, "default_value": -2}),
        ("threshold", {"threshold": 0, "default_value": -2.5}),
        ("relu6", {}), ("elu", {}), ("softmax", {}), ("leaky_relu", {}),
        ("relu", {"negative_slope": 0.5}),
    ],
)
def test_integer_inputs_give_the_dtype_keras_gives(keras, name, kwargs):
    x = jnp.asarray([[-3, -1, 0, 1, 2, 7]], "int32")
    ours, theirs = call_both(keras, name, x, **kwargs)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.keras_parity
@pytest.mark.parametrize("name", [n for n in ALL_NAMES if n not in KERAS_SPARSEMAX_BUG])
def test_gradient_matches_keras(keras, name):
    # Avoid the kinks (0, +-0.5, +-1, +-3, 6) where one-sided derivatives differ.
    x = jnp.asarray(np.linspace(-7.3, 7.1, 48, dtype=np.float32).reshape(4, 12))
    args = REQUIRED_ARGS.get(name, ())

    def loss(fn):
        # A nonlinear read-out, so that softmax's outputs (which sum to 1) still
        # carry a gradient.
        return lambda v: jnp.sum(jnp.sin(1.3 * fn(v, *args)))

    # Jitted: one compilation per function instead of one per primitive.
    ours = jax.jit(jax.grad(loss(getattr(activations, name))))(x)
    theirs = jax.jit(jax.grad(loss(getattr(keras.activations, name))))(x)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)


# -- sparsemax -----------------------------------------------------------------------


# One compiled program instead of one per primitive (sort, cumsum, gather, ...).
jitted_sparsemax = jax.jit(activations.sparsemax, static_argnames="axis")


def reference_sparsemax(z):
    """Martins & Astudillo (2016), Algorithm 1, on the last axis, in float64."""
    z = np.asarray(z, np.float64)
    z_sorted = -np.sort(-z, axis=-1)
    k = np.arange(1, z.shape[-1] + 1)
    cumulative = np.cumsum(z_sorted, axis=-1)
    support = 1 + k * z_sorted > cumulative
    k_z = support.sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumulative, k_z - 1, axis=-1) - 1) / k_z
    return np.maximum(z - tau, 0)


def test_sparsemax_examples_from_the_paper_definition():
    out = activations.sparsemax(np.array([[0.0, 0.5, 1.0], [-0.5, 0.0, 1.0]], np.float32))
    # First row: support {1.0, 0.5}, tau = (1.5 - 1) / 2 = 0.25.
    np.testing.assert_allclose(out, [[0.0, 0.25, 0.75], [0.0, 0.0, 1.0]], atol=1e-7)


@settings(max_examples=60, deadline=None)
@given(
    # One length (each new shape costs an XLA compilation); ties and spreads of
    # every size come from mixing a few repeated values with arbitrary ones.
    st.lists(
        st.sampled_from([0.0, 1.0, 13.0]) | st.floats(-30, 30, width=32),
        min_size=8, max_size=8,
    ),
    st.sampled_from([1.0, 0.1, 10.0]),
)
def test_sparsemax_is_the_projection_onto_the_simplex(values, scale):
    z = np.asarray(values, np.float32) * np.float32(scale)
    out = np.asarray(jitted_sparsemax(z[None, :]))[0]
    assert (out >= 0).all()
    # float32 rounding of the outputs (each at most 1): a few ulps of 1 per value.
    np.testing.assert_allclose(out.sum(), 1.0, rtol=0, atol=8 * 2**-23 * len(z))
    np.testing.assert_allclose(out, reference_sparsemax(z), atol=1e-6)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_sparsemax_works_along_any_axis(axis):
    z = np.random.default_rng(5).normal(size=(5, 7)).astype(np.float32)
    out = np.asarray(jitted_sparsemax(z, axis=axis))
    expected = np.moveaxis(reference_sparsemax(np.moveaxis(z, axis, -1)), -1, axis)
    np.testing.assert_allclose(out, expected, atol=1e-6)


@pytest.mark.keras_parity
def test_sparsemax_matches_keras_when_one_input_is_in_the_support(keras):
    # With a single input in the support Keras's (buggy) threshold equals the right
    # one, so the two agree exactly there.
    z = np.stack([np.linspace(1, 12, 10), np.linspace(-5, 30, 10)[::-1]]).astype(np.float32)
    assert (np.asarray(activations.sparsemax(z)) > 0).sum(axis=-1).tolist() == [1, 1]
    assert_same(activations.sparsemax(z), keras.activations.sparsemax(z))


# -- get / serialize / deserialize ---------------------------------------------------


def test_get_resolves_names_none_and_callables():
    assert activations.get("relu") is activations.relu
    assert activations.get(None) is activations.linear
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu

    def custom(x):
        return 2 * x

    assert activations.get(custom) is custom


@pytest.mark.parametrize("name", ALL_NAMES)
def test_every_name_round_trips_through_serialize(name):
    fn = activations.get(name)
    assert fn is getattr(activations, name)
    serialized = activations.serialize(fn)
    assert isinstance(serialized, str)
    assert activations.deserialize(serialized) is fn
    assert activations.get(serialized) is fn


@pytest.mark.keras_parity
@pytest.mark.parametrize("name", ALL_NAMES)
def test_serialized_names_equal_keras(keras, name):
    assert activations.serialize(getattr(activations, name)) == keras.activations.serialize(
        getattr(keras.activations, name)
    )


@pytest.mark.keras_parity
def test_keras_function_config_deserializes(keras):
    config = keras.saving.serialize_keras_object(keras.activations.gelu)
    assert activations.deserialize(config) is activations.gelu
    assert activations.get(config) is activations.gelu


def test_unknown_name_raises_value_error_listing_registered_names():
    with pytest.raises(ValueError) as error:
        activations.get("relux")
    message = str(error.value)
    assert "'relux'" in message
    for name in ("relu", "softmax", "gelu", "swish"):
        assert f"'{name}'" in message
    assert "Did you mean 'relu'" in message


def test_non_callable_identifier_raises_value_error_quoting_it():
    with pytest.raises(ValueError, match="activation=5"):
        activations.get(5)
