"""``RandomNormal``, ``RandomUniform``, ``TruncatedNormal`` and ``Orthogonal``:
distributions, dtypes, seeds and configs against Keras 3.

Values come from numpy on the host, so they are compared with Keras's by their
statistics, never element by element.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lamella
from lamella import initializers

SHAPE = (300, 400)  # 120k draws: 2% bounds on a std are ~10 standard errors.
ALIASES = {
    "random_normal": "RandomNormal", "normal": "RandomNormal",
    "random_uniform": "RandomUniform", "uniform": "RandomUniform",
    "truncated_normal": "TruncatedNormal",
    "orthogonal": "Orthogonal", "OrthogonalInitializer": "Orthogonal",
}
CLASSES = ["RandomNormal", "RandomUniform", "TruncatedNormal", "Orthogonal"]

# Standard deviation of a standard normal truncated to [-2, 2].
TRUNCATED_STDDEV = 0.87962566103423978


@pytest.mark.keras_parity
@pytest.mark.parametrize("mean, stddev", [(0.0, 0.05), (1.5, 2.0), (-3.0, 0.01)])
def test_random_normal_moments_match_arguments_and_keras(keras, mean, stddev):
    ours = initializers.RandomNormal(mean=mean, stddev=stddev, seed=1)(SHAPE)
    theirs = np.asarray(keras.initializers.RandomNormal(mean=mean, stddev=stddev, seed=1)(SHAPE))
    np.testing.assert_allclose(ours.mean(), mean, atol=0.02 * stddev)
    np.testing.assert_allclose(ours.std(), stddev, rtol=0.02)
    np.testing.assert_allclose(ours.std(), theirs.std(), rtol=0.02)
    # Unbounded: about 0.27% of normal draws lie beyond 3 stddev.
    beyond = np.mean(np.abs(ours - mean) > 3 * stddev)
    np.testing.assert_allclose(beyond, 0.0027, atol=0.001)


@pytest.mark.keras_parity
@pytest.mark.parametrize("minval, maxval", [(-0.05, 0.05), (0.0, 1.0), (2.0, 7.0)])
def test_random_uniform_fills_the_interval_like_keras(keras, minval, maxval):
    ours = initializers.RandomUniform(minval=minval, maxval=maxval, seed=1)(SHAPE)
    theirs = np.asarray(keras.initializers.RandomUniform(minval, maxval, seed=1)(SHAPE))
    width = maxval - minval
    assert minval <= ours.min() < minval + 1e-3 * width
    assert maxval - 1e-3 * width < ours.max() < maxval
    np.testing.assert_allclose(ours.mean(), (minval + maxval) / 2, atol=0.01 * width)
    np.testing.assert_allclose(ours.std(), width / np.sqrt(12), rtol=0.02)
    np.testing.assert_allclose(ours.std(), theirs.std(), rtol=0.02)


@pytest.mark.keras_parity
@pytest.mark.parametrize("mean, stddev", [(0.0, 0.05), (1.0, 3.0)])
def test_truncated_normal_stays_within_two_stddev_like_keras(keras, mean, stddev):
    ours = initializers.TruncatedNormal(mean=mean, stddev=stddev, seed=1)(SHAPE)
    theirs = np.asarray(keras.initializers.TruncatedNormal(mean, stddev, seed=1)(SHAPE))
    deviation = np.abs(ours - mean)
    assert deviation.max() <= 2 * stddev * (1 + 1e-6)
    assert deviation.max() > 1.99 * stddev
    np.testing.assert_allclose(ours.mean(), mean, atol=0.02 * stddev)
    np.testing.assert_allclose(ours.std(), stddev * TRUNCATED_STDDEV, rtol=0.02)
    np.testing.assert_allclose(ours.std(), theirs.std(), rtol=0.02)
    np.testing.assert_allclose(deviation.max(), np.abs(theirs - mean).max(), rtol=0.01)


@settings(max_examples=30, deadline=None)
@given(
    st.floats(-10, 10), st.floats(1e-3, 10),
    st.sampled_from(["float32", "bfloat16", "float16"]), st.integers(0, 2**31 - 1),
)
def test_truncated_normal_is_bounded_for_any_arguments(mean, stddev, dtype, seed):
    values = initializers.TruncatedNormal(mean=mean, stddev=stddev, seed=seed)((64, 64), dtype)
    assert str(values.dtype) == dtype
    values = np.asarray(values, np.float64)
    # Rounding to the dtype may move a value by half an ulp of |mean| + 2 stddev.
    ulp = {"float32": 2**-24, "bfloat16": 2**-8, "float16": 2**-11}[dtype]
    slack = ulp * (abs(mean) + 2 * stddev)
    assert np.abs(values - mean).max() <= 2 * stddev * (1 + 1e-6) + slack


# -- Orthogonal ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape", [(64, 64), (100, 30), (30, 100), (3, 3, 8, 16), (3, 3, 16, 8), (1, 5, 7)]
)
@pytest.mark.parametrize("gain", [1.0, 0.5, 3.0])
def test_orthogonal_rows_or_columns_are_orthonormal_times_gain(shape, gain):
    values = initializers.Orthogonal(gain=gain, seed=0)(shape)
    assert values.shape == shape and values.dtype == np.float32
    matrix = values.reshape(-1, shape[-1]).astype(np.float64) / gain
    rows, cols = matrix.shape
    gram = matrix.T @ matrix if rows >= cols else matrix @ matrix.T
    np.testing.assert_allclose(gram, np.eye(min(rows, cols)), atol=1e-5)


@pytest.mark.keras_parity
def test_orthogonal_has_keras_spread(keras):
    # Entries of a random orthogonal n x n matrix have variance 1 / n.
    ours = initializers.Orthogonal(gain=2.0, seed=1)((256, 256))
    theirs = np.asarray(keras.initializers.Orthogonal(gain=2.0, seed=1)((256, 256)))
    np.testing.assert_allclose(ours.std(), 2.0 / 16, rtol=0.02)
    np.testing.assert_allclose(ours.std(), theirs.std(), rtol=0.02)
    np.testing.assert_allclose(ours.T @ ours, theirs.T @ theirs, atol=1e-4)


def test_orthogonal_is_not_biased_towards_positive_diagonals():
    # Without the sign correction of QR, Q's diagonal would be mostly one sign.
    diagonals = np.concatenate(
        [np.diag(initializers.Orthogonal(seed=s)((8, 8))) for s in range(50)]
    )
    assert 0.35 < np.mean(diagonals > 0) < 0.65


def test_orthogonal_rejects_vectors():
    with pytest.raises(ValueError, match=r"at least 2 axes.*\(5,\)"):
        initializers.Orthogonal()((5,))


# -- dtypes, seeds, configs and names ------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "bfloat16", "float16"])
@pytest.mark.parametrize("name", CLASSES)
def test_shape_and_dtype(name, dtype):
    values = getattr(initializers, name)(seed=0)((16, 8), dtype=dtype)
    assert values.shape == (16, 8)
    assert str(values.dtype) == dtype
    assert np.isfinite(np.asarray(values, np.float32)).all()


@pytest.mark.parametrize("name", CLASSES)
def test_same_seed_gives_same_values_and_unseeded_calls_differ(name):
    cls = getattr(initializers, name)
    np.testing.assert_array_equal(cls(seed=7)((12, 12)), cls(seed=7)((12, 12)))
    seeded = cls(seed=7)
    np.testing.assert_array_equal(seeded((12, 12)), seeded((12, 12)))
    assert not np.array_equal(cls(seed=7)((12, 12)), cls(seed=8)((12, 12)))
    # lamella's rule (documented in random_initializers.py): an unseeded initializer
    # draws new values on every call from the shared host generator.
    unseeded = cls()
    assert not np.array_equal(unseeded((12, 12)), unseeded((12, 12)))


@pytest.mark.parametrize("name", CLASSES)
def test_set_random_seed_makes_unseeded_draws_reproducible(name):
    cls = getattr(initializers, name)
    lamella.utils.set_random_seed(123)
    first = cls()((6, 6))
    lamella.utils.set_random_seed(123)
    np.testing.assert_array_equal(cls()((6, 6)), first)


@pytest.mark.parametrize("name", CLASSES)
@pytest.mark.parametrize("seed", ["1", 1.5, True])
def test_non_integer_seed_raises_value_error(name, seed):
    with pytest.raises(ValueError, match="seed"):
        getattr(initializers, name)(seed=seed)


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("RandomNormal", {"mean": 1.0, "stddev": 0.5, "seed": 3}),
        ("RandomUniform", {"minval": -2.0, "maxval": 3.0, "seed": None}),
        ("TruncatedNormal", {"mean": 0.0, "stddev": 0.2, "seed": 4}),
        ("Orthogonal", {"gain": 2.0, "seed": 5}),
    ],
)
def test_config_equals_keras_and_round_trips(keras, name, kwargs):
    ours = getattr(initializers, name)(**kwargs)
    theirs = getattr(keras.initializers, name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    rebuilt = initializers.deserialize(initializers.serialize(ours))
    assert type(rebuilt) is type(ours) and rebuilt.get_config() == ours.get_config()
    assert type(ours).from_config(theirs.get_config()).get_config() == ours.get_config()
    if kwargs["seed"] is not None:
        np.testing.assert_array_equal(rebuilt((6, 4)), ours((6, 4)))
        np.testing.assert_array_equal(ours.clone()((6, 4)), ours((6, 4)))


@pytest.mark.keras_parity
@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_string_aliases_resolve_to_the_class_keras_resolves(keras, alias):
    ours = initializers.get(alias)
    assert type(ours).__name__ == ALIASES[alias]
    assert type(ours).__name__ == type(keras.initializers.get(alias)).__name__


def test_lowercase_names_are_the_classes():
    assert initializers.random_normal is initializers.RandomNormal
    assert initializers.truncated_normal is initializers.TruncatedNormal
    assert initializers.orthogonal is initializers.Orthogonal
    values = initializers.random_uniform(minval=0.0, maxval=1.0, seed=1)((3, 3))
    assert ((values >= 0) & (values < 1)).all()
