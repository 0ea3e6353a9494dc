"""Regression losses (squared, absolute, percentage and logarithmic errors, Huber,
log-cosh, cosine similarity): the functions and the classes against Keras 3, over
shapes, sample weights and reductions."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lamella import losses

NAMES = (
    ("mean_squared_error", "MeanSquaredError"),
    ("mean_absolute_error", "MeanAbsoluteError"),
    ("mean_absolute_percentage_error", "MeanAbsolutePercentageError"),
    ("mean_squared_logarithmic_error", "MeanSquaredLogarithmicError"),
    ("huber", "Huber"),
    ("log_cosh", "LogCosh"),
    ("cosine_similarity", "CosineSimilarity"),
)

# (y_true shape, y_pred shape): 1-D targets against (batch, 1) predictions and the
# reverse, matrices, 3-D sequences, and a trailing axis of 1 on one side only.
SHAPES = (
    ((6,), (6,)),
    ((6, 1), (6, 1)),
    ((6,), (6, 1)),
    ((6, 1), (6,)),
    ((6, 4), (6, 4)),
    ((2, 3, 4), (2, 3, 4)),
    ((2, 3), (2, 3, 1)),
    ((2, 3, 1), (2, 3)),
)


def _data(rng, true_shape, pred_shape):
    # Errors on both sides of Huber's delta; a zero target exercises the epsilon
    # of the percentage error.
    y_true = rng.integers(0, 4, size=true_shape).astype(np.float32)
    y_pred = rng.uniform(-1.0, 3.0, size=pred_shape).astype(np.float32)
    return y_true, y_pred


@pytest.mark.keras_parity
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
@pytest.mark.parametrize("function, _", NAMES)
def test_loss_function_matches_keras(keras, rng, helpers, function, _, shapes):
    y_true, y_pred = _data(rng, *shapes)
    actual = getattr(losses, function)(y_true, y_pred)
    expected = getattr(keras.losses, function)(y_true, y_pred)
    # rtol 1e-5: the percentage error's divisions by near-zero targets magnify
    # the last bit of the difference in the order of operations.
    helpers.assert_close(actual, expected, rtol=1e-5)


@pytest.mark.keras_parity
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
@pytest.mark.parametrize("_, cls", NAMES)
def test_loss_class_matches_keras_for_every_weight_and_reduction(keras, rng, helpers, _, cls, shapes):
    y_true, y_pred = _data(rng, *shapes)
    values_shape = np.shape(getattr(keras.losses, cls)(reduction=None)(y_true, y_pred))
    for weight_kind in (None, "batch", "column", "full", "scalar"):
        if weight_kind == "batch" and len(values_shape) > 1:
            continue  # Keras 3 refuses (batch,) weights for (batch, steps) losses; see below
        if weight_kind in ("batch", "column", "full") and len(values_shape) == 0:
            continue  # one loss value for the whole batch has no per-sample weights
        weight = helpers.sample_weight(weight_kind, values_shape, rng)
        for reduction in helpers.REDUCTIONS:
            actual = getattr(losses, cls)(reduction=reduction)(y_true, y_pred, sample_weight=weight)
            expected = getattr(keras.losses, cls)(reduction=reduction)(y_true, y_pred, sample_weight=weight)
            if reduction in (None, "none") and weight_kind == "column" and len(values_shape) == 1:
                # Keras 3 returns (batch, 1) unreduced values for (batch, 1) weights;
                # lamella keeps one value per sample, (batch,), as Keras 2 did.
                assert np.shape(actual) == values_shape
                expected = np.reshape(expected, values_shape)
            helpers.assert_close(actual, expected, rtol=1e-5)


@pytest.mark.parametrize("_, cls", NAMES)
def test_per_sample_weights_scale_every_step_of_a_sequence(rng, helpers, _, cls):
    # (batch,) weights against (batch, steps) losses: the Keras 2 (and documented)
    # meaning, each sample's weight scales all its values.
    y_true, y_pred = _data(rng, (4, 3, 2), (4, 3, 2))
    weight = np.array([0.0, 1.0, 2.0, 0.5], np.float32)
    unreduced = np.asarray(getattr(losses, cls)(reduction=None)(y_true, y_pred))
    weighted = unreduced * weight[:, None]
    # rtol 1e-5: numpy sums in another order than XLA.
    for reduction, expected in (
        ("sum", weighted.sum()),
        ("sum_over_batch_size", weighted.sum() / weighted.size),
        ("mean_with_sample_weight", weighted.sum() / weight.sum()),
        ("none", weighted),
    ):
        actual = getattr(losses, cls)(reduction=reduction)(y_true, y_pred, sample_weight=weight)
        helpers.assert_close(actual, expected, rtol=1e-5)


def test_mean_squared_error_formula(helpers):
    y_true = np.array([[1.0, 0.0], [2.0, 2.0]], np.float32)
    y_pred = np.array([[0.0, 0.0], [1.0, 4.0]], np.float32)
    helpers.assert_close(losses.mse(y_true, y_pred), [0.5, 2.5])
    helpers.assert_close(losses.mae(y_true, y_pred), [0.5, 1.5])
    helpers.assert_close(losses.MeanSquaredError()(y_true, y_pred), 1.5)


def test_formulas_against_numpy(helpers):
    y_true = np.array([[0.0, 2.0, -1.0]], np.float32)
    y_pred = np.array([[1.0, 0.5, -1.5]], np.float32)
    error = y_pred - y_true
    helpers.assert_close(losses.mape(y_true, y_pred), 100 * np.mean(np.abs(error) / np.maximum(np.abs(y_true), 1e-7), -1), rtol=1e-5)
    msle = np.mean(np.square(np.log(np.maximum(y_pred, 1e-7) + 1) - np.log(np.maximum(y_true, 1e-7) + 1)), -1)
    helpers.assert_close(losses.msle(y_true, y_pred), msle, rtol=1e-5)
    small = np.abs(error) <= 0.75
    huber = np.where(small, 0.5 * error**2, 0.75 * np.abs(error) - 0.5 * 0.75**2).mean(-1)
    helpers.assert_close(losses.huber(y_true, y_pred, delta=0.75), huber)
    helpers.assert_close(losses.log_cosh(y_true, y_pred), np.mean(np.log(np.cosh(error)), -1), rtol=1e-5)
    cosine = -np.sum(y_true * y_pred) / np.linalg.norm(y_true) / np.linalg.norm(y_pred)
    helpers.assert_close(losses.cosine_similarity(y_true, y_pred), [cosine], rtol=1e-5)


def test_log_cosh_stays_finite_for_huge_errors(helpers):
    # cosh(1000) overflows float32; the softplus form does not.
    helpers.assert_close(losses.log_cosh([[0.0]], [[1000.0]]), [1000.0 - np.log(2.0)], rtol=1e-6)


def test_cosine_similarity_of_a_zero_vector_is_zero(helpers):
    helpers.assert_close(losses.cosine_similarity([[0.0, 0.0]], [[1.0, 2.0]]), [0.0])


@pytest.mark.keras_parity
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_cosine_similarity_axis_matches_keras(keras, rng, helpers, axis):
    y_true, y_pred = _data(rng, (3, 4), (3, 4))
    helpers.check_loss_class(keras, "CosineSimilarity", y_true, y_pred, reductions=(None, "sum"), axis=axis)


@pytest.mark.keras_parity
@pytest.mark.parametrize("delta", [0.1, 1.0, 2.5])
def test_huber_delta_matches_keras(keras, rng, helpers, delta):
    y_true, y_pred = _data(rng, (6, 3), (6, 3))
    weight = helpers.sample_weight("batch", (6,), rng)
    helpers.check_loss_class(keras, "Huber", y_true, y_pred, weight, delta=delta)


def test_one_value_per_sample_for_batch_and_batch_by_1_targets(helpers):
    # The shape a loss returns decides what "sum" adds up: (batch,) targets against
    # (batch, 1) predictions still give one value per sample.
    y_true = np.array([0.0, 1.0, 2.0], np.float32)
    y_pred = np.array([[1.0], [1.0], [1.0]], np.float32)
    helpers.assert_close(losses.mean_squared_error(y_true, y_pred), [1.0, 0.0, 1.0])
    helpers.assert_close(losses.MeanSquaredError(reduction="sum")(y_true, y_pred), 2.0)


@settings(max_examples=5, deadline=None)
@given(
    shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=3),
    seed=st.integers(0, 2**16),
)
def test_function_drops_the_last_axis_and_sum_adds_the_values(shape, seed):
    rng = np.random.default_rng(seed)
    y_true = rng.normal(size=shape).astype(np.float32)
    y_pred = rng.normal(size=shape).astype(np.float32)
    # rtol 1e-5: float32 against a float64 reference.
    for fn, elementwise in ((losses.mean_squared_error, np.square), (losses.mean_absolute_error, np.abs)):
        values = np.asarray(fn(y_true, y_pred))
        expected = elementwise(y_true.astype(np.float64) - y_pred).mean(axis=-1)
        assert values.shape == shape[:-1]
        np.testing.assert_allclose(values, expected, rtol=1e-5, atol=1e-6)
    total = losses.MeanSquaredError(reduction="sum")(y_true, y_pred)
    np.testing.assert_allclose(total, np.square(y_true.astype(np.float64) - y_pred).mean(axis=-1).sum(), rtol=1e-5, atol=1e-5)


def test_integer_inputs_are_computed_in_float(helpers):
    helpers.assert_close(losses.mean_squared_error([[1, 2]], [[2, 4]]), [2.5])
    helpers.assert_close(losses.MeanAbsoluteError()([[1, 2]], [[2, 4]]), 1.5)


@pytest.mark.parametrize("dtype", ["bfloat16"])
def test_loss_dtype_sets_the_computation_dtype(dtype):
    value = losses.MeanSquaredError(dtype=dtype)(np.ones((2, 2)), np.zeros((2, 2)))
    assert str(value.dtype) == dtype
    np.testing.assert_allclose(np.float32(value), 1.0)


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "cls, options",
    [("MeanSquaredError", {}), ("MeanAbsoluteError", {}), ("MeanAbsolutePercentageError", {}),
     ("MeanSquaredLogarithmicError", {}), ("Huber", {"delta": 0.3}), ("LogCosh", {}),
     ("CosineSimilarity", {"axis": 0})],
)
def test_class_config_round_trip_and_keras_config(keras, helpers, cls, options):
    helpers.check_loss_config(keras, cls, **options)
    default = getattr(losses, cls)()
    keras_default = getattr(keras.losses, cls)()
    assert default.name == keras_default.name
    assert default.get_config().items() >= keras_default.get_config().items()


def test_huber_keeps_delta_in_its_config():
    # Keras 3 forgets it, so a Huber(delta=0.3) comes back as Huber(delta=1.0).
    clone = losses.Huber.from_config(losses.Huber(delta=0.3).get_config())
    assert clone.delta == 0.3
    np.testing.assert_allclose(clone([[0.0]], [[2.0]]), 0.3 * 2.0 - 0.5 * 0.3**2, rtol=1e-6)


def test_invalid_reduction_names_the_argument():
    with pytest.raises(ValueError, match="reduction='average'"):
        losses.MeanSquaredError(reduction="average")
