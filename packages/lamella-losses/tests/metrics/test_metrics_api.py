"""``lamella.metrics``: look-up by name as in Keras 3, serialization, re-exports."""

import re

import numpy as np
import pytest

import lamella
from lamella import metrics


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "name",
    ["mse", "MSE", "mae", "MAE", "mean_squared_error", "mean_absolute_error", "MeanSquaredError",
     "accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
     "Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy",
     "mape", "MAPE", "msle", "MSLE", "AUC", "Precision", "Recall", "F1Score", "FBetaScore", "R2Score",
     "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy", "RootMeanSquaredError", "LogCoshError",
     "CosineSimilarity", "Hinge", "SquaredHinge", "CategoricalHinge", "KLDivergence", "Poisson",
     "BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "TruePositives",
     "FalsePositives", "TrueNegatives", "FalseNegatives"],
)
def test_get_by_name_gives_the_metric_keras_3_gives(keras, name):
    ours, theirs = metrics.get(name), keras.metrics.get(name)
    assert isinstance(ours, metrics.Metric)
    assert type(ours).__name__ == type(theirs).__name__
    # Keras numbers the names of later instances in a session (auc_1).
    assert ours.name == re.sub(r"_\d+$", "", theirs.name)
    assert metrics.get(name) is not ours


def test_get_keeps_the_keras_2_acc_alias():
    assert isinstance(metrics.get("acc"), metrics.Accuracy)


@pytest.mark.parametrize(
    "name, expected",
    [("auc", "AUC"), ("precision", "Precision"), ("recall", "Recall"), ("rmse", "RootMeanSquaredError"),
     ("kld", "kl_divergence"), ("kullback_leibler_divergence", "kl_divergence"), ("logcosh", "log_cosh"),
     ("cosine_proximity", "cosine_similarity"), ("top_k_categorical_accuracy", "top_k_categorical_accuracy")],
)
def test_keras_2_metric_names_resolve(name, expected):
    found = metrics.get(name)
    assert (type(found).__name__ if isinstance(found, metrics.Metric) else found.__name__) == expected


def test_merged_shards_give_the_result_of_the_whole(rng, helpers):
    y_true = rng.integers(0, 2, size=40)
    y_pred = rng.uniform(size=40).astype(np.float32)
    whole, first, second = metrics.AUC(), metrics.AUC(), metrics.AUC()
    whole.update_state(y_true, y_pred)
    first.update_state(y_true[:15], y_pred[:15])
    second.update_state(y_true[15:], y_pred[15:])
    first.merge_state([second])
    helpers.assert_close(first.result(), whole.result(), rtol=1e-6)


def test_get_passes_metrics_and_callables_through_and_rejects_the_rest():
    metric = metrics.Mean()
    assert metrics.get(metric) is metric
    assert isinstance(metrics.get(metrics.Sum), metrics.Sum)
    fn = lambda y_true, y_pred: y_pred  # noqa: E731
    assert metrics.get(fn) is fn
    assert metrics.get(None) is None
    with pytest.raises(ValueError, match="accurracy"):
        metrics.get("accurracy")
    with pytest.raises(ValueError, match="Could not interpret metric"):
        metrics.get(1.5)


def test_serialize_round_trip_keeps_state_free_config():
    metric = metrics.BinaryAccuracy(threshold=0.2, name="hits")
    metric.update_state([1, 0], [0.3, 0.1])
    config = metrics.serialize(metric)
    assert config["class_name"] == "BinaryAccuracy"
    clone = metrics.get(config)
    assert clone.get_config() == {"name": "hits", "dtype": "float32", "threshold": 0.2}
    np.testing.assert_allclose(clone.result(), 0.0)
    np.testing.assert_allclose(metric.result(), 1.0)


def test_core_reductions_are_re_exported():
    from lamella.training import metric, reduction_metrics

    assert metrics.Metric is metric.Metric
    assert metrics.Mean is reduction_metrics.Mean
    assert metrics.MeanMetricWrapper is reduction_metrics.MeanMetricWrapper
    assert lamella.metrics is metrics


def test_mean_metric_wrapper_wraps_a_function():
    metric = metrics.MeanMetricWrapper(lambda y_true, y_pred: np.abs(np.asarray(y_true) - y_pred), name="gap")
    metric.update_state(np.array([1.0, 2.0]), np.array([0.0, 0.0]))
    np.testing.assert_allclose(metric.result(), 1.5)
    assert metric.name == "gap"


def test_mean_metric_wrapper_of_a_registered_function_round_trips(helpers):
    metric = metrics.MeanMetricWrapper(metrics.binary_accuracy, name="hits", threshold=0.8)
    config = metric.get_config()
    assert config == {"name": "hits", "dtype": "float32", "fn": "binary_accuracy", "threshold": 0.8}
    clone = metrics.MeanMetricWrapper.from_config(config)
    clone.update_state([1, 1], [0.9, 0.7])
    helpers.assert_close(clone.result(), 0.5)
