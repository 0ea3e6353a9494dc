"""Weight constraints: projections, arguments, configs and names against Keras 3."""

import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lamella import constraints


@pytest.fixture
def weights():
    rng = np.random.default_rng(0)
    dense = (rng.normal(size=(6, 5)) * 3).astype(np.float32)
    dense[:, 2] = 0.0  # a unit with no incoming weight: norm 0
    dense[:, 4] *= 1e-4  # and one with a tiny norm
    return {
        "dense": dense,
        "conv": (rng.normal(size=(3, 3, 4, 6)) * 2).astype(np.float32),
    }


def assert_same(ours, theirs):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape
    assert ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7)


def norms(w, axis):
    return np.sqrt(np.sum(np.square(np.asarray(w, np.float64)), axis=axis))


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "which, axis",
    [("dense", 0), ("dense", 1), ("dense", -1), ("conv", [0, 1, 2]), ("conv", 3)],
)
@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("NonNeg", {}),
        ("UnitNorm", {}),
        ("MaxNorm", {}), ("MaxNorm", {"max_value": 0.5}), ("MaxNorm", {"max_value": 100}),
        ("MinMaxNorm", {}),
        ("MinMaxNorm", {"min_value": 0.5, "max_value": 2.0, "rate": 1.0}),
        ("MinMaxNorm", {"min_value": 1.0, "max_value": 1.5, "rate": 0.3}),
    ],
)
def test_constraint_equals_keras(keras, weights, which, axis, name, kwargs):
    if name != "NonNeg":
        kwargs = {**kwargs, "axis": axis}
    w = jnp.asarray(weights[which])
    assert_same(
        getattr(constraints, name)(**kwargs)(w), getattr(keras.constraints, name)(**kwargs)(w)
    )


@pytest.mark.keras_parity
# The keras fixture is the imported module: nothing to reset between examples.
@settings(
    max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    max_value=st.floats(0.01, 20),
    min_value=st.floats(0, 5),
    rate=st.floats(0, 1),
    w=st.lists(st.floats(-10, 10, width=32), min_size=12, max_size=12),
)
def test_norm_constraints_equal_keras_for_any_arguments(keras, max_value, min_value, rate, w):
    w = jnp.asarray(np.asarray(w, np.float32).reshape(4, 3))
    assert_same(constraints.MaxNorm(max_value)(w), keras.constraints.MaxNorm(max_value)(w))
    assert_same(
        constraints.MinMaxNorm(min_value, min_value + max_value, rate)(w),
        keras.constraints.MinMaxNorm(min_value, min_value + max_value, rate)(w),
    )


def test_max_norm_caps_each_units_norm_and_keeps_directions(weights):
    w = weights["dense"]
    out = np.asarray(constraints.MaxNorm(max_value=2.0)(w))
    before, after = norms(w, 0), norms(out, 0)
    assert (after <= 2.0 + 1e-5).all()
    # Keras's formula w * clip(norm, 0, max) / (epsilon + norm): the epsilon (1e-7)
    # shows on the tiny-norm column, where it shrinks the norm by 0.01%.
    np.testing.assert_allclose(after, np.minimum(before, 2.0) * before / (1e-7 + before), rtol=1e-5)
    small = before < 2.0
    # Scaled, not rotated: each column keeps its direction.
    big = np.flatnonzero(~small)[0]
    np.testing.assert_allclose(out[:, big] / after[big], w[:, big] / before[big], rtol=1e-5)


def test_unit_norm_and_min_max_norm_bounds(weights):
    w = weights["conv"]
    unit = constraints.UnitNorm(axis=[0, 1, 2])(w)
    np.testing.assert_allclose(norms(unit, (0, 1, 2)), 1.0, rtol=1e-5)
    clipped = norms(constraints.MinMaxNorm(1.0, 3.0, rate=1.0, axis=[0, 1, 2])(w), (0, 1, 2))
    assert (clipped >= 1.0 - 1e-5).all() and (clipped <= 3.0 + 1e-5).all()
    # rate < 1 moves part of the way: norm' = rate * clip(norm) + (1 - rate) * norm.
    before = norms(w, (0, 1, 2))
    halfway = norms(constraints.MinMaxNorm(0.0, 1.0, rate=0.5, axis=[0, 1, 2])(w), (0, 1, 2))
    np.testing.assert_allclose(halfway, 0.5 * np.clip(before, 0, 1) + 0.5 * before, rtol=1e-5)


@pytest.mark.keras_parity
def test_non_neg_zeroes_negatives_and_keeps_nan_like_keras(keras):
    w = jnp.asarray([-1.0, -0.0, 0.0, 2.0, np.nan, -np.inf, np.inf], jnp.float32)
    ours, theirs = constraints.NonNeg()(w), keras.constraints.NonNeg()(w)
    np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(np.signbit(ours), np.signbit(theirs))


@pytest.mark.keras_parity
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("name", ["NonNeg", "UnitNorm", "MaxNorm", "MinMaxNorm"])
def test_low_precision_weights_keep_their_dtype_like_keras(keras, weights, name, dtype):
    w = jnp.asarray(weights["dense"], dtype)
    ours, theirs = getattr(constraints, name)()(w), getattr(keras.constraints, name)()(w)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(np.asarray(ours, np.float32), np.asarray(theirs, np.float32))


# -- configs and names ---------------------------------------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("NonNeg", {}), ("UnitNorm", {"axis": 1}), ("MaxNorm", {"max_value": 3, "axis": [0, 1]}),
        ("MinMaxNorm", {"min_value": 0.5, "max_value": 1.5, "rate": 0.25, "axis": 1}),
    ],
)
def test_config_equals_keras_and_round_trips(keras, weights, name, kwargs):
    ours = getattr(constraints, name)(**kwargs)
    theirs = getattr(keras.constraints, name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    w = weights["dense"]
    for rebuilt in (
        type(ours).from_config(ours.get_config()),
        type(ours).from_config(theirs.get_config()),
        constraints.deserialize(constraints.serialize(ours)),
        constraints.get(constraints.serialize(ours)),
    ):
        assert type(rebuilt) is type(ours)
        assert rebuilt.get_config() == ours.get_config()
        assert_same(rebuilt(w), ours(w))
    assert constraints.serialize(ours)["class_name"] == name


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "identifier",
    ["MaxNorm", "max_norm", "NonNeg", "non_neg", "UnitNorm", "unit_norm",
     "MinMaxNorm", "min_max_norm"],
)
def test_strings_resolve_to_default_instances_like_keras(keras, weights, identifier):
    ours = constraints.get(identifier)
    theirs = keras.constraints.get(identifier)
    assert type(ours).__name__ == type(theirs).__name__
    assert ours.get_config() == theirs.get_config()
    assert_same(ours(weights["dense"]), theirs(jnp.asarray(weights["dense"])))


def test_keras_2_function_names_are_the_classes():
    assert constraints.max_norm is constraints.MaxNorm
    assert constraints.non_neg is constraints.NonNeg
    assert constraints.unit_norm is constraints.UnitNorm
    assert constraints.min_max_norm is constraints.MinMaxNorm
    assert constraints.max_norm(4).max_value == 4


def test_get_instantiates_classes_and_passes_instances_and_callables():
    assert isinstance(constraints.get(constraints.MaxNorm), constraints.MaxNorm)
    instance = constraints.UnitNorm(axis=1)
    assert constraints.get(instance) is instance
    assert constraints.get(None) is None
    assert constraints.get(jnp.abs) is jnp.abs


def test_unknown_or_uninterpretable_identifiers_raise_value_error():
    with pytest.raises(ValueError) as error:
        constraints.get("max_nrom")
    assert "'max_nrom'" in str(error.value) and "'max_norm'" in str(error.value)
    with pytest.raises(ValueError, match="constraint=2"):
        constraints.get(2)
