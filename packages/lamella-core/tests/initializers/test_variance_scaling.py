"""``VarianceScaling`` and the Glorot / He / LeCun schemes: fans, spreads, dtypes,
seeds and configs against Keras 3.

lamella draws initial values with numpy on the host, so values are not Keras's: the
tests compare distributions (the theoretical spread from the fans, and the empirical
spread of Keras's own draws) and everything deterministic exactly.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lamella import initializers
from lamella.initializers import compute_fans

# Standard deviation of a standard normal truncated to [-2, 2].
TRUNCATED_STDDEV = 0.87962566103423978

# name: (scale, mode, distribution), as Keras documents them.
SCHEMES = {
    "GlorotNormal": (1.0, "fan_avg", "truncated_normal"),
    "GlorotUniform": (1.0, "fan_avg", "uniform"),
    "HeNormal": (2.0, "fan_in", "truncated_normal"),
    "HeUniform": (2.0, "fan_in", "uniform"),
    "LecunNormal": (1.0, "fan_in", "truncated_normal"),
    "LecunUniform": (1.0, "fan_in", "uniform"),
}
ALIASES = {
    "glorot_normal": "GlorotNormal", "glorot_uniform": "GlorotUniform",
    "he_normal": "HeNormal", "he_uniform": "HeUniform",
    "lecun_normal": "LecunNormal", "lecun_uniform": "LecunUniform",
    "variance_scaling": "VarianceScaling",
}

# About 130k draws: the relative standard error of an empirical standard deviation
# is 1 / sqrt(2 n) ~ 0.2%, so 2% bounds are ~10 standard errors (never flaky).
DENSE_SHAPE = (256, 512)
CONV_SHAPE = (3, 3, 96, 160)
STD_RTOL = 0.02


def expected_std(shape, scale, mode, input_axes=None, output_axes=None):
    fan_in, fan_out = compute_fans(shape, input_axes, output_axes)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    return math.sqrt(scale / max(1.0, n))


def normalized_config(config):
    return {k: list(v) if isinstance(v, tuple) else v for k, v in config.items()}


# -- fans ----------------------------------------------------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "shape",
    [(), (7,), (3, 5), (1, 1), (5, 4, 3), (3, 3, 16, 32), (2, 3, 3, 8, 4), (1, 1, 64, 1)],
)
def test_compute_fans_matches_keras_for_vectors_matrices_and_conv_kernels(keras, shape):
    from keras.src.initializers.random_initializers import compute_fans as keras_fans

    assert compute_fans(shape) == keras_fans(shape)


@pytest.mark.keras_parity
@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=0, max_size=5))
def test_compute_fans_matches_keras_for_any_shape(shape):
    from keras.src.initializers.random_initializers import compute_fans as keras_fans

    assert compute_fans(shape) == keras_fans(shape)


@pytest.mark.keras_parity
def test_compute_fans_with_explicit_axes_matches_keras(keras):
    from keras.src.initializers.random_initializers import compute_fans as keras_fans

    shape = (4, 8, 16, 2)
    for input_axes, output_axes in [((0, 1), (2, 3)), ((0,), (1, 2)), ((3,), (0,))]:
        assert compute_fans(shape, input_axes, output_axes) == keras_fans(
            shape, input_axes=input_axes, output_axes=output_axes
        )
    assert compute_fans(shape, (0, 1), (2,)) == (32, 16)


def test_compute_fans_of_a_conv_kernel_multiply_by_the_receptive_field():
    assert compute_fans((3, 3, 16, 32)) == (144, 288)
    assert compute_fans((5,)) == (5, 5)
    assert compute_fans(()) == (1, 1)


# -- spreads -------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [DENSE_SHAPE, CONV_SHAPE])
@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg"])
@pytest.mark.parametrize(
    "distribution", ["truncated_normal", "untruncated_normal", "uniform", "normal"]
)
def test_variance_scaling_spread_follows_the_fans(shape, mode, distribution):
    scale = 2.0
    values = initializers.VarianceScaling(
        scale=scale, mode=mode, distribution=distribution, seed=11
    )(shape)
    std = expected_std(shape, scale, mode)
    assert values.shape == shape and values.dtype == np.float32
    assert abs(values.mean()) < 0.02 * std
    np.testing.assert_allclose(values.std(), std, rtol=STD_RTOL)
    largest = np.abs(values).max()
    if distribution == "uniform":
        limit = math.sqrt(3.0) * std
        assert limit * 0.999 < largest <= limit
    elif distribution == "untruncated_normal":
        assert largest > 4 * std
    else:
        # "normal" means truncated_normal, as in Keras: cut at two raw stddevs.
        bound = 2 * std / TRUNCATED_STDDEV
        assert bound * 0.99 < largest <= bound * (1 + 1e-6)


@pytest.mark.keras_parity
@pytest.mark.parametrize("name", sorted(SCHEMES))
@pytest.mark.parametrize("shape", [DENSE_SHAPE, CONV_SHAPE], ids=["dense", "conv"])
def test_named_scheme_spread_matches_theory_and_keras_draws(keras, name, shape):
    scale, mode, distribution = SCHEMES[name]
    ours = getattr(initializers, name)(seed=3)(shape)
    theirs = np.asarray(getattr(keras.initializers, name)(seed=3)(shape))
    std = expected_std(shape, scale, mode)
    np.testing.assert_allclose(ours.std(), std, rtol=STD_RTOL)
    np.testing.assert_allclose(ours.std(), theirs.std(), rtol=STD_RTOL)
    if distribution == "uniform":
        # Both fill [-limit, limit]: their extremes agree to well under 1%.
        np.testing.assert_allclose(np.abs(ours).max(), np.abs(theirs).max(), rtol=1e-3)
    else:
        np.testing.assert_allclose(np.abs(ours).max(), np.abs(theirs).max(), rtol=0.01)


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_named_scheme_is_variance_scaling_with_its_parameters(name):
    scale, mode, distribution = SCHEMES[name]
    initializer = getattr(initializers, name)(seed=5)
    assert isinstance(initializer, initializers.VarianceScaling)
    assert (initializer.scale, initializer.mode, initializer.distribution) == SCHEMES[name]
    same = initializers.VarianceScaling(scale, mode, distribution, seed=5)
    np.testing.assert_array_equal(initializer((30, 20)), same((30, 20)))


@pytest.mark.keras_parity
def test_input_and_output_axes_set_the_fans_as_in_keras(keras):
    shape = (16, 32, 64)
    ours = initializers.VarianceScaling(
        scale=1.0, mode="fan_in", distribution="uniform", seed=1,
        input_axes=(0, 1), output_axes=(2,),
    )(shape)
    theirs = np.asarray(keras.initializers.VarianceScaling(
        scale=1.0, mode="fan_in", distribution="uniform", seed=1,
        input_axes=(0, 1), output_axes=(2,),
    )(shape))
    limit = math.sqrt(3.0 / (16 * 32))
    assert limit * 0.999 < np.abs(ours).max() <= limit
    np.testing.assert_allclose(ours.std(), theirs.std(), rtol=STD_RTOL)


def test_a_single_unit_uses_a_fan_of_at_least_one():
    values = initializers.VarianceScaling(distribution="uniform", seed=0)((0, 4))
    assert values.shape == (0, 4)
    values = initializers.VarianceScaling(mode="fan_avg", distribution="uniform", seed=0)((1,))
    assert np.abs(values).max() <= math.sqrt(3.0)


# -- dtypes and seeds ----------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "bfloat16", "float16"])
@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_named_scheme_returns_requested_shape_and_dtype(name, dtype):
    values = getattr(initializers, name)(seed=2)((64, 32), dtype=dtype)
    assert values.shape == (64, 32)
    assert str(values.dtype) == dtype
    # Low precision keeps the spread (rounding to 8 or 11 mantissa bits).
    std = expected_std((64, 32), *SCHEMES[name][:2])
    np.testing.assert_allclose(np.asarray(values, np.float32).std(), std, rtol=0.1)


def test_default_dtype_is_floatx():
    assert initializers.GlorotUniform()((3, 3)).dtype == np.float32


@pytest.mark.parametrize("name", [*sorted(SCHEMES), "VarianceScaling"])
def test_same_seed_gives_same_values_and_unseeded_calls_differ(name):
    cls = getattr(initializers, name)
    first = cls(seed=42)((20, 10))
    np.testing.assert_array_equal(first, cls(seed=42)((20, 10)))
    seeded = cls(seed=42)
    np.testing.assert_array_equal(seeded((20, 10)), seeded((20, 10)))
    assert not np.array_equal(first, cls(seed=43)((20, 10)))
    unseeded = cls()
    assert not np.array_equal(unseeded((20, 10)), unseeded((20, 10)))
    assert not np.array_equal(cls()((20, 10)), cls()((20, 10)))


# -- validation, configs and names ---------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, quoted",
    [
        ({"scale": 0.0}, "scale=0.0"),
        ({"scale": -1}, "scale=-1"),
        ({"mode": "fan_sideways"}, "mode='fan_sideways'"),
        ({"distribution": "cauchy"}, "distribution='cauchy'"),
        ({"seed": "7"}, "seed='7'"),
    ],
)
def test_invalid_arguments_raise_value_error_quoting_them(kwargs, quoted):
    with pytest.raises(ValueError) as error:
        initializers.VarianceScaling(**kwargs)
    assert quoted in str(error.value)


def test_distribution_names_are_case_insensitive_and_normal_is_truncated():
    assert initializers.VarianceScaling(distribution="Uniform").distribution == "uniform"
    assert initializers.VarianceScaling(distribution="normal").distribution == "truncated_normal"


@pytest.mark.keras_parity
@pytest.mark.parametrize("name", [*sorted(SCHEMES), "VarianceScaling"])
def test_config_equals_keras_and_round_trips(keras, name):
    kwargs = {"seed": 9}
    if name == "VarianceScaling":
        kwargs.update(scale=0.5, mode="fan_out", distribution="untruncated_normal",
                      input_axes=(0,), output_axes=(1,))
    ours = getattr(initializers, name)(**kwargs)
    theirs = getattr(keras.initializers, name)(**kwargs)
    assert normalized_config(ours.get_config()) == normalized_config(theirs.get_config())

    rebuilt = type(ours).from_config(ours.get_config())
    assert rebuilt.get_config() == ours.get_config()
    np.testing.assert_array_equal(rebuilt((8, 6)), ours((8, 6)))
    # A config written by Keras loads too.
    from_keras = type(ours).from_config(theirs.get_config())
    assert from_keras.get_config() == ours.get_config()


@pytest.mark.parametrize("name", [*sorted(SCHEMES), "VarianceScaling"])
def test_serialize_round_trips_through_the_registry(name):
    original = getattr(initializers, name)(seed=4)
    serialized = initializers.serialize(original)
    assert serialized["class_name"] == name
    rebuilt = initializers.deserialize(serialized)
    assert type(rebuilt) is type(original)
    np.testing.assert_array_equal(rebuilt((5, 5)), original((5, 5)))
    assert initializers.get(serialized).get_config() == original.get_config()


@pytest.mark.keras_parity
@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_string_aliases_resolve_to_the_class_keras_resolves(keras, alias):
    ours = initializers.get(alias)
    assert type(ours).__name__ == ALIASES[alias]
    assert type(ours).__name__ == type(keras.initializers.get(alias)).__name__
    # The Keras 2 lowercase names are the classes, and take a seed.
    lowercase = getattr(initializers, alias)
    assert lowercase is getattr(initializers, ALIASES[alias])
    np.testing.assert_array_equal(lowercase(seed=1)((4, 4)), lowercase(seed=1)((4, 4)))


def test_get_passes_instances_and_none_and_rejects_junk():
    instance = initializers.HeNormal(seed=1)
    assert initializers.get(instance) is instance
    assert initializers.get(None) is None
    assert isinstance(initializers.get(initializers.HeNormal), initializers.HeNormal)
    with pytest.raises(ValueError, match="'he_normall'"):
        initializers.get("he_normall")
    with pytest.raises(ValueError, match="initializer=3"):
        initializers.get(3)
