"""Weight regularizers: penalties, arguments, configs and names against Keras 3."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lamella import regularizers

CLASSES = ["L1", "L2", "L1L2", "OrthogonalRegularizer"]


@pytest.fixture
def weights():
    rng = np.random.default_rng(0)
    return {
        "dense": rng.normal(size=(8, 5)).astype(np.float32),
        "wide": (rng.normal(size=(3, 7)) * 10).astype(np.float32),
        "conv": rng.normal(size=(3, 3, 4, 6)).astype(np.float32),
        "bias": rng.normal(size=(6,)).astype(np.float32),
    }


def assert_config_close(ours, theirs):
    # Keras keeps L1's l1 and OrthogonalRegularizer's factor as float32 tensors, so
    # its configs read 0.009999999776 where lamella's keep the 0.01 that was passed.
    assert ours.keys() == theirs.keys()
    for key, value in ours.items():
        if isinstance(value, float):
            assert value == pytest.approx(theirs[key], rel=1e-7), key
        else:
            assert value == theirs[key], key


def assert_same(ours, theirs, rtol=1e-6):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape == ()
    assert ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=1e-7)


@pytest.mark.keras_parity
@pytest.mark.parametrize("which", ["dense", "wide", "conv", "bias"])
@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("L1", {}), ("L1", {"l1": 0.3}), ("L1", {"l1": 0.0}),
        ("L2", {}), ("L2", {"l2": 1e-4}), ("L2", {"l2": 2}),
        ("L1L2", {}), ("L1L2", {"l1": 0.01}), ("L1L2", {"l2": 0.02}),
        ("L1L2", {"l1": 0.5, "l2": 0.25}),
    ],
)
def test_norm_penalty_equals_keras(keras, weights, which, name, kwargs):
    w = jnp.asarray(weights[which])
    ours = getattr(regularizers, name)(**kwargs)(w)
    theirs = getattr(keras.regularizers, name)(**kwargs)(w)
    assert_same(ours, theirs)


def test_norm_penalty_formulas():
    w = np.array([[1.0, -2.0], [0.5, 0.0]], np.float32)
    np.testing.assert_allclose(regularizers.L1(0.1)(w), 0.1 * 3.5, rtol=1e-6)
    np.testing.assert_allclose(regularizers.L2(0.1)(w), 0.1 * 5.25, rtol=1e-6)
    np.testing.assert_allclose(regularizers.L1L2(0.1, 0.2)(w), 0.35 + 1.05, rtol=1e-6)
    assert float(regularizers.L1L2()(w)) == 0.0


@pytest.mark.keras_parity
# The keras fixture is the imported module: nothing to reset between examples.
@settings(
    max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    l1=st.floats(0, 10), l2=st.floats(0, 10),
    w=st.lists(st.floats(-100, 100, width=32), min_size=12, max_size=12),
)
def test_l1_l2_equals_keras_for_any_factors_and_weights(keras, l1, l2, w):
    w = jnp.asarray(np.asarray(w, np.float32).reshape(3, 4))
    assert_same(regularizers.L1L2(l1, l2)(w), keras.regularizers.L1L2(l1, l2)(w), rtol=2e-6)


@pytest.mark.keras_parity
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("name", ["L1", "L2", "L1L2"])
def test_penalty_has_the_weight_dtype_like_keras(keras, weights, name, dtype):
    w = jnp.asarray(weights["dense"], dtype)
    kwargs = {"l1": 0.01, "l2": 0.01} if name == "L1L2" else {}
    ours = getattr(regularizers, name)(**kwargs)(w)
    theirs = getattr(keras.regularizers, name)(**kwargs)(w)
    assert ours.dtype == theirs.dtype == jnp.dtype(dtype)
    np.testing.assert_array_equal(np.asarray(ours, np.float32), np.asarray(theirs, np.float32))


@pytest.mark.keras_parity
@pytest.mark.parametrize("mode", ["rows", "columns"])
@pytest.mark.parametrize("factor", [0.01, 3.5])
@pytest.mark.parametrize("which", ["dense", "wide"])
def test_orthogonal_regularizer_equals_keras(keras, weights, mode, factor, which):
    w = jnp.asarray(weights[which])
    # Jitted: Keras's eager ops.eye alone compiles a program per size.
    ours = jax.jit(regularizers.OrthogonalRegularizer(factor=factor, mode=mode))(w)
    theirs = jax.jit(keras.regularizers.OrthogonalRegularizer(factor=factor, mode=mode))(w)
    assert_same(ours, theirs, rtol=2e-6)


@pytest.mark.keras_parity
@pytest.mark.parametrize("mode", ["rows", "columns"])
def test_orthogonal_regularizer_with_a_zero_row_and_column_equals_keras(keras, weights, mode):
    w = np.array(weights["dense"])
    w[2, :] = 0.0
    w[:, 1] = 0.0
    w = jnp.asarray(w)
    ours = jax.jit(regularizers.OrthogonalRegularizer(factor=1.0, mode=mode))(w)
    theirs = jax.jit(keras.regularizers.OrthogonalRegularizer(factor=1.0, mode=mode))(w)
    assert np.isfinite(ours)
    assert_same(ours, theirs, rtol=2e-6)


def test_orthogonal_regularizer_is_zero_for_orthogonal_rows_and_the_mean_cosine_otherwise():
    assert float(regularizers.OrthogonalRegularizer(1.0)(np.eye(3, 5, dtype=np.float32))) == 0.0
    w = np.array([[1.0, 0.0], [1.0, 1.0]], np.float32)
    # One pair of rows at 45 degrees: |cos| = 1/sqrt(2), the mean over the pair.
    np.testing.assert_allclose(
        regularizers.OrthogonalRegularizer(2.0)(w), 2.0 / np.sqrt(2), rtol=1e-6
    )


def test_orthogonal_regularizer_rejects_non_matrices_and_bad_modes():
    with pytest.raises(ValueError, match=r"2-D.*\(2, 2, 2\)"):
        regularizers.OrthogonalRegularizer()(np.zeros((2, 2, 2), np.float32))
    with pytest.raises(ValueError, match="mode='diagonal'"):
        regularizers.OrthogonalRegularizer(mode="diagonal")


# -- arguments -----------------------------------------------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "name, kwargs",
    [("L1", {"l1": None}), ("L2", {"l2": None}), ("L1L2", {"l1": None, "l2": None}),
     ("L1L2", {"l1": None, "l2": 0.5})],
)
def test_none_factor_means_the_default_as_in_keras(keras, weights, name, kwargs):
    ours = getattr(regularizers, name)(**kwargs)
    theirs = getattr(keras.regularizers, name)(**kwargs)
    assert_config_close(ours.get_config(), theirs.get_config())
    assert_same(ours(weights["dense"]), theirs(jnp.asarray(weights["dense"])))


@pytest.mark.keras_parity
@pytest.mark.parametrize("name, argument", [
    ("L1", "l1"), ("L2", "l2"), ("L1L2", "l1"), ("L1L2", "l2"),
    ("OrthogonalRegularizer", "factor"),
])
@pytest.mark.parametrize("value", [-0.1, float("inf"), float("nan"), "0.1"])
def test_invalid_factor_raises_value_error_like_keras(keras, name, argument, value):
    with pytest.raises(ValueError):
        getattr(keras.regularizers, name)(**{argument: value})
    with pytest.raises(ValueError, match=f"{argument}="):
        getattr(regularizers, name)(**{argument: value})


# -- configs and names ---------------------------------------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("L1", {"l1": 0.25}), ("L2", {"l2": 0.125}), ("L1L2", {"l1": 0.5, "l2": 0.75}),
        ("OrthogonalRegularizer", {"factor": 0.5, "mode": "columns"}),
    ],
)
def test_config_equals_keras_and_round_trips(keras, weights, name, kwargs):
    ours = getattr(regularizers, name)(**kwargs)
    theirs = getattr(keras.regularizers, name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    for rebuilt in (
        type(ours).from_config(ours.get_config()),
        type(ours).from_config(theirs.get_config()),
        regularizers.deserialize(regularizers.serialize(ours)),
        regularizers.get(regularizers.serialize(ours)),
    ):
        assert type(rebuilt) is type(ours)
        assert rebuilt.get_config() == ours.get_config()
        assert_same(rebuilt(weights["dense"]), ours(weights["dense"]))
    assert regularizers.serialize(ours)["class_name"] == name


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "identifier",
    ["l1", "l2", "l1_l2", "l1l2", "L1", "L2", "L1L2", "orthogonal_regularizer",
     "OrthogonalRegularizer"],
)
def test_strings_resolve_to_default_instances_like_keras(keras, weights, identifier):
    from keras.src.regularizers import ALL_OBJECTS_DICT

    ours = regularizers.get(identifier)
    expected = ALL_OBJECTS_DICT.get(identifier) or keras.regularizers.L1L2
    assert type(ours).__name__ == expected.__name__
    theirs = expected()
    assert_config_close(ours.get_config(), theirs.get_config())
    assert_same(ours(weights["dense"]), theirs(jnp.asarray(weights["dense"])))


def test_keras_2_function_names_are_the_classes():
    assert regularizers.l1 is regularizers.L1
    assert regularizers.l2 is regularizers.L2
    assert regularizers.l1_l2 is regularizers.L1L2
    assert regularizers.l2(0.5).l2 == 0.5


def test_get_instantiates_classes_and_passes_instances_and_callables():
    assert isinstance(regularizers.get(regularizers.L2), regularizers.L2)
    instance = regularizers.L1(0.2)
    assert regularizers.get(instance) is instance
    assert regularizers.get(None) is None

    def custom(w):
        return jnp.sum(w)

    assert regularizers.get(custom) is custom


def test_unknown_or_uninterpretable_identifiers_raise_value_error():
    with pytest.raises(ValueError) as error:
        regularizers.get("l3")
    assert "'l3'" in str(error.value) and "'l2'" in str(error.value)
    with pytest.raises(ValueError, match="regularizer=0.1"):
        regularizers.get(0.1)
