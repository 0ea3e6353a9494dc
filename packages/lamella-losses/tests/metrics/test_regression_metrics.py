"""Regression metrics (squared, absolute, percentage, logarithmic and log-cosh errors,
RMSE, cosine similarity) and the reductions they build on (Mean, Sum) against
Keras 3."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lamella import metrics

CLASSES = (
    "MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError",
    "LogCoshError", "RootMeanSquaredError", "CosineSimilarity",
)


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "function",
    ["mse", "mae", "mean_squared_error", "mean_absolute_error", "MSE", "MAE", "mape", "msle", "logcosh"],
)
@pytest.mark.parametrize("shapes", [((6,), (6, 1)), ((6, 4), (6, 4)), ((2, 3, 4), (2, 3, 4))], ids=str)
def test_metric_functions_match_keras(keras, rng, helpers, function, shapes):
    y_true = rng.normal(size=shapes[0]).astype(np.float32)
    y_pred = rng.normal(size=shapes[1]).astype(np.float32)
    keras_fn = getattr(keras.metrics, {"mse": "mean_squared_error", "MSE": "mean_squared_error",
                                       "mae": "mean_absolute_error", "MAE": "mean_absolute_error",
                                       "mape": "mean_absolute_percentage_error",
                                       "msle": "mean_squared_logarithmic_error", "logcosh": "log_cosh"}.get(function, function))
    # rtol 1e-5: percentage errors of near-zero targets magnify rounding.
    helpers.assert_close(getattr(metrics, function)(y_true, y_pred), keras_fn(y_true, y_pred), rtol=1e-5)


def _batches(rng):
    """Batches of different sizes and ranks, with every kind of weight."""
    return [
        (rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), None),
        (rng.normal(size=(3, 3)), rng.normal(size=(3, 3)), rng.uniform(0, 2, size=(3,))),
        (rng.normal(size=(2, 5, 3)), rng.normal(size=(2, 5, 3)), rng.uniform(0, 2, size=(2,))),
        (rng.normal(size=(2, 5, 3)), rng.normal(size=(2, 5, 3)), rng.uniform(0, 2, size=(2, 5))),
        (rng.normal(size=(6,)), rng.normal(size=(6, 1)), rng.uniform(0, 2, size=(6, 1))),
        (rng.normal(size=(3, 1)), rng.normal(size=(3, 1)), np.float32(0.5)),
    ]


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls", CLASSES)
def test_metric_class_accumulates_batches_like_keras(keras, rng, helpers, cls):
    ours, theirs = getattr(metrics, cls)(), getattr(keras.metrics, cls)()
    for y_true, y_pred, weight in _batches(rng):
        y_true, y_pred = y_true.astype(np.float32), y_pred.astype(np.float32)
        ours.update_state(y_true, y_pred, sample_weight=weight)
        theirs.update_state(y_true, y_pred, sample_weight=weight)
        helpers.assert_close(ours.result(), theirs.result(), rtol=1e-5)
        for mine, keras_variable in zip(ours.variables, theirs.variables):
            helpers.assert_close(mine.numpy(), np.asarray(keras_variable.value), rtol=1e-5)
    ours.reset_state()
    theirs.reset_state()
    helpers.assert_close(ours.result(), theirs.result())
    helpers.assert_close(ours.result(), 0.0)


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls", CLASSES)
def test_metric_class_config_round_trip_matches_keras(keras, helpers, cls):
    helpers.check_metric_config(keras, cls, name="err")


def test_root_mean_squared_error_is_the_root_of_the_running_mean(helpers):
    metric = metrics.RootMeanSquaredError()
    metric.update_state([[0.0, 0.0]], [[1.0, 3.0]])  # squared errors 1, 9
    metric.update_state([[0.0]], [[2.0]], sample_weight=[2.0])  # 4, weight 2
    helpers.assert_close(metric.result(), np.sqrt((5.0 + 8.0) / 3.0), rtol=1e-6)


def test_cosine_similarity_metric_keeps_its_axis(helpers):
    metric = metrics.CosineSimilarity(axis=0)
    assert metrics.CosineSimilarity.from_config(metric.get_config()).axis == 0
    metric.update_state([[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, -1.0]])
    helpers.assert_close(metric.result(), 0.0)


def test_mean_squared_error_metric_is_the_mean_over_samples(helpers):
    metric = metrics.MeanSquaredError()
    metric.update_state([[0.0, 0.0], [1.0, 1.0]], [[1.0, 1.0], [1.0, 3.0]])  # per sample 1, 2
    helpers.assert_close(metric.result(), 1.5)
    metric.update_state([[0.0, 0.0]], [[3.0, 3.0]], sample_weight=[2.0])  # per sample 9, weight 2
    helpers.assert_close(metric.result(), (1.0 + 2.0 + 18.0) / 4.0)


# -- Mean and Sum (lamella-core, re-exported here) ----------------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls", ["Mean", "Sum"])
def test_mean_and_sum_reduce_batches_like_keras(keras, rng, helpers, cls):
    ours, theirs = getattr(metrics, cls)(), getattr(keras.metrics, cls)()
    batches = [
        (rng.normal(size=(4,)), None),
        (rng.normal(size=(3, 2)), None),  # two values per sample: the sample is their mean
        (rng.normal(size=(3, 2)), rng.uniform(size=(3,))),
        (rng.normal(size=(2, 3, 2)), rng.uniform(size=(2, 3))),
        (rng.normal(size=(5,)), rng.uniform(size=(5, 1))),
        (np.float32(3.0), None),
        (rng.normal(size=(4,)), np.float32(2.0)),
    ]
    for values, weight in batches:
        values = np.asarray(values, np.float32)
        ours.update_state(values, sample_weight=weight)
        theirs.update_state(values, sample_weight=weight)
        helpers.assert_close(ours.result(), theirs.result(), rtol=1e-6)


def test_mean_counts_samples_not_values(helpers):
    mean = metrics.Mean()
    mean.update_state([[1.0, 3.0]])  # one sample of mean 2
    mean.update_state([5.0])
    helpers.assert_close(mean.result(), 3.5)
    helpers.assert_close(mean.count.numpy(), 2.0)


@settings(max_examples=10, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    weighted=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_mean_over_batches_is_the_weighted_mean_of_samples(sizes, weighted, seed):
    rng = np.random.default_rng(seed)
    mean = metrics.Mean()
    all_values, all_weights = [], []
    for size in sizes:
        values = rng.normal(size=size).astype(np.float32)
        weight = rng.uniform(0.1, 2.0, size=size).astype(np.float32) if weighted else None
        mean.update_state(values, sample_weight=weight)
        all_values.append(values)
        all_weights.append(np.ones(size) if weight is None else weight)
    values, weights = np.concatenate(all_values), np.concatenate(all_weights)
    # rtol 1e-5: float32 running totals against a float64 reference.
    np.testing.assert_allclose(mean.result(), np.sum(values * weights) / np.sum(weights), rtol=1e-5, atol=1e-6)


def test_mean_of_nothing_is_zero(helpers):
    mean = metrics.Mean()
    helpers.assert_close(mean.result(), 0.0)
    mean.update_state([1.0, 2.0], sample_weight=[0.0, 0.0])
    helpers.assert_close(mean.result(), 0.0)
