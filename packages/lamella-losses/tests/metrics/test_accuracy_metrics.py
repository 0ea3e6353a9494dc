"""Accuracy metrics against Keras 3: the functions, the stateful classes over several
batches with sample weights, reset, configs, and the 'accuracy' name in compile."""

import jax
import numpy as np
import pytest

import lamella
from lamella import metrics
from lamella.testing import Linear, PlainSGD

CLASSES = ("Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy")


# -- functions -------------------------------------------------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "true_shape, pred_shape", [((6,), (6,)), ((6, 1), (6, 1)), ((6,), (6, 1)), ((6, 1), (6,)), ((6, 4), (6, 4))]
)
def test_accuracy_function_matches_keras(keras, rng, helpers, true_shape, pred_shape):
    y_true = rng.integers(0, 3, size=true_shape).astype(np.float32)
    y_pred = rng.integers(0, 3, size=pred_shape).astype(np.float32)
    helpers.assert_close(metrics.accuracy(y_true, y_pred), keras.metrics.Accuracy()._fn(y_true, y_pred))


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "true_shape, pred_shape", [((6,), (6,)), ((6, 1), (6, 1)), ((6,), (6, 1)), ((6, 4), (6, 4)), ((2, 3, 4), (2, 3, 4))]
)
@pytest.mark.parametrize("threshold", [0.5, 0.3, 0.9])
@pytest.mark.parametrize("true_dtype", [np.float32, np.int32, bool])
def test_binary_accuracy_function_matches_keras(keras, rng, helpers, true_shape, pred_shape, threshold, true_dtype):
    y_true = rng.integers(0, 2, size=true_shape).astype(true_dtype)
    y_pred = rng.uniform(size=pred_shape).astype(np.float32)
    helpers.assert_close(
        metrics.binary_accuracy(y_true, y_pred, threshold=threshold),
        keras.metrics.binary_accuracy(y_true, y_pred, threshold=threshold),
    )


@pytest.mark.keras_parity
@pytest.mark.parametrize("shape", [(6, 4), (2, 3, 4), (4,)], ids=str)
def test_categorical_accuracy_function_matches_keras(keras, rng, helpers, shape):
    y_true = np.eye(shape[-1], dtype=np.float32)[rng.integers(0, shape[-1], size=shape[:-1])]
    y_pred = rng.uniform(size=shape).astype(np.float32)
    helpers.assert_close(metrics.categorical_accuracy(y_true, y_pred), keras.metrics.categorical_accuracy(y_true, y_pred))


@pytest.mark.keras_parity
def test_categorical_accuracy_breaks_ties_at_the_first_class_like_keras(keras, helpers):
    y_true = np.array([[1, 0, 0], [0, 1, 0], [0.5, 0.5, 0]], np.float32)
    y_pred = np.array([[0.4, 0.4, 0.2], [0.4, 0.4, 0.2], [0.1, 0.1, 0.1]], np.float32)
    actual = metrics.categorical_accuracy(y_true, y_pred)
    helpers.assert_close(actual, keras.metrics.categorical_accuracy(y_true, y_pred))
    helpers.assert_close(actual, [1.0, 0.0, 1.0])


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "true_shape, pred_shape",
    [((6,), (6, 4)), ((6, 1), (6, 4)), ((2, 3), (2, 3, 4)), ((2, 3, 1), (2, 3, 4))],
)
@pytest.mark.parametrize("true_dtype", [np.int32, np.float32])
def test_sparse_categorical_accuracy_function_matches_keras(keras, rng, helpers, true_shape, pred_shape, true_dtype):
    y_true = rng.integers(0, pred_shape[-1], size=true_shape).astype(true_dtype)
    y_pred = rng.uniform(size=pred_shape).astype(np.float32)
    helpers.assert_close(
        metrics.sparse_categorical_accuracy(y_true, y_pred),
        keras.metrics.sparse_categorical_accuracy(y_true, y_pred),
    )


@pytest.mark.keras_parity
def test_sparse_categorical_accuracy_compares_targets_as_numbers_like_keras(keras, helpers):
    y_true = np.array([1.0, 1.5, 0.0], np.float32)
    y_pred = np.array([[0.1, 0.9], [0.2, 0.8], [0.3, 0.7]], np.float32)
    actual = metrics.sparse_categorical_accuracy(y_true, y_pred)
    helpers.assert_close(actual, [1.0, 0.0, 0.0])
    helpers.assert_close(actual, keras.metrics.sparse_categorical_accuracy(y_true, y_pred))


# -- stateful classes ------------------------------------------------------------------


def _batches(rng, cls, count=3):
    """(y_true, y_pred, sample_weight) batches with every kind of weight (one batch
    size: varying sizes are exercised by the regression metrics' tests, and every
    new shape costs XLA compilations)."""
    batches = []
    for index, size in enumerate([6] * count):
        weight = [None, rng.uniform(0, 2, size=(size,)), rng.uniform(0, 2, size=(size, 1))][index % 3]
        if cls == "Accuracy":
            y_true = rng.integers(0, 3, size=(size, 1)).astype(np.float32)
            y_pred = rng.integers(0, 3, size=(size, 1)).astype(np.float32)
        elif cls == "BinaryAccuracy":
            y_true = rng.integers(0, 2, size=(size, 2)).astype(np.float32)
            y_pred = rng.uniform(size=(size, 2)).astype(np.float32)
        elif cls == "CategoricalAccuracy":
            y_true = np.eye(4, dtype=np.float32)[rng.integers(0, 4, size=size)]
            y_pred = rng.uniform(size=(size, 4)).astype(np.float32)
        else:
            y_true = rng.integers(0, 4, size=(size, 1))
            y_pred = rng.uniform(size=(size, 4)).astype(np.float32)
        batches.append((y_true, y_pred, None if weight is None else weight.astype(np.float32)))
    return batches


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls", CLASSES)
def test_metric_accumulates_weighted_batches_like_keras(keras, rng, helpers, cls):
    ours, theirs = getattr(metrics, cls)(), getattr(keras.metrics, cls)()
    for y_true, y_pred, weight in _batches(rng, cls):
        ours.update_state(y_true, y_pred, sample_weight=weight)
        theirs.update_state(y_true, y_pred, sample_weight=weight)
        helpers.assert_close(ours.result(), theirs.result())
        for mine, keras_variable in zip(ours.variables, theirs.variables):
            helpers.assert_close(mine.numpy(), np.asarray(keras_variable.value), rtol=1e-6)


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls", CLASSES)
def test_reset_state_starts_over_like_keras(keras, rng, helpers, cls):
    ours, theirs = getattr(metrics, cls)(), getattr(keras.metrics, cls)()
    first, *rest = _batches(rng, cls)
    for metric in (ours, theirs):
        metric.update_state(first[0], first[1], sample_weight=first[2])
        metric.reset_state()
    helpers.assert_close(ours.result(), theirs.result())
    helpers.assert_close(ours.result(), 0.0)
    for y_true, y_pred, weight in rest:
        ours.update_state(y_true, y_pred, sample_weight=weight)
        theirs.update_state(y_true, y_pred, sample_weight=weight)
    helpers.assert_close(ours.result(), theirs.result())


def test_binary_accuracy_result_is_the_weighted_fraction_of_matches(helpers):
    metric = metrics.BinaryAccuracy(threshold=0.7)
    metric.update_state([1, 0, 1, 0], [0.8, 0.2, 0.6, 0.9], sample_weight=[1.0, 2.0, 3.0, 4.0])
    helpers.assert_close(metric.result(), (1.0 + 2.0) / 10.0)
    metric.update_state([[1], [1]], [[0.75], [0.71]])
    helpers.assert_close(metric.result(), (3.0 + 2.0) / 12.0)


def test_call_updates_and_returns_the_running_result(helpers):
    metric = metrics.Accuracy()
    helpers.assert_close(metric([1, 2], [1, 3]), 0.5)
    helpers.assert_close(metric([1, 2], [1, 2]), 0.75)


@pytest.mark.parametrize("cls", CLASSES)
def test_stateless_update_equals_eager_update_and_leaves_the_variables_alone(rng, helpers, cls):
    eager, pure = getattr(metrics, cls)(), getattr(metrics, cls)()
    state = pure.initial_state()
    update = jax.jit(lambda s, t, p, w: pure.stateless_update_state(s, t, p, sample_weight=w))
    for y_true, y_pred, weight in _batches(rng, cls):
        eager.update_state(y_true, y_pred, sample_weight=weight)
        if weight is None:
            state = pure.stateless_update_state(state, y_true, y_pred)
        else:
            state = update(state, y_true, y_pred, weight)
    helpers.assert_close(pure.stateless_result(state), eager.result())
    helpers.assert_close(pure.result(), 0.0)


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls, options", [("Accuracy", {}), ("BinaryAccuracy", {"threshold": 0.3}),
                                          ("CategoricalAccuracy", {}), ("SparseCategoricalAccuracy", {})])
def test_config_round_trip_matches_keras(keras, cls, options):
    metric = getattr(metrics, cls)(name="m", **options)
    config = metric.get_config()
    assert config == getattr(keras.metrics, cls)(name="m", **options).get_config()
    clone = getattr(metrics, cls).from_config(config)
    assert clone.get_config() == config and clone.name == "m"
    assert metrics.deserialize(metrics.serialize(metric)).get_config() == config


def test_default_names():
    assert [getattr(metrics, c)().name for c in CLASSES] == [
        "accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy"
    ]


# -- 'accuracy' in compile ---------------------------------------------------------------


def _model(units, activation):
    model = lamella.Sequential([lamella.Input((4,)), Linear(units, activation=activation)])
    rng = np.random.default_rng(7)
    model.set_weights([rng.normal(size=(4, units)).astype(np.float32), rng.normal(size=(units,)).astype(np.float32)])
    return model


@pytest.mark.parametrize(
    "loss, units, activation",
    [("binary_crossentropy", 1, "sigmoid"), ("categorical_crossentropy", 3, "softmax"),
     ("sparse_categorical_crossentropy", 3, "softmax")],
)
@pytest.mark.parametrize("name", ["accuracy", "acc"])
def test_accuracy_string_resolves_to_the_variant_of_the_loss_in_compile(loss, units, activation, name):
    rng = np.random.default_rng(11)
    x = rng.normal(size=(20, 4)).astype(np.float32)
    model = _model(units, activation)
    probabilities = np.asarray(model.predict(x, verbose=0))
    if loss == "binary_crossentropy":
        y = rng.integers(0, 2, size=(20, 1)).astype(np.float32)
        expected = np.mean((probabilities > 0.5) == y)
    elif loss == "categorical_crossentropy":
        labels = rng.integers(0, 3, size=20)
        y = np.eye(3, dtype=np.float32)[labels]
        expected = np.mean(probabilities.argmax(-1) == labels)
    else:
        y = rng.integers(0, 3, size=(20,))
        expected = np.mean(probabilities.argmax(-1) == y)
    model.compile(optimizer=PlainSGD(), loss=loss, metrics=[name])
    logs = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    assert set(logs) == {"loss", name}
    np.testing.assert_allclose(logs[name], expected, rtol=1e-6)
    assert 0.0 < expected < 1.0  # the data tells the variants apart


# -- top-k ---------------------------------------------------------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("shape", [(6, 4), (2, 3, 4)], ids=str)
def test_top_k_functions_match_keras(keras, rng, helpers, k, shape):
    labels = rng.integers(0, shape[-1], size=shape[:-1])
    y_pred = rng.uniform(size=shape).astype(np.float32)
    y_pred[..., 0] = y_pred[..., 1]  # ties
    one_hot = np.eye(shape[-1], dtype=np.float32)[labels]
    helpers.assert_close(
        metrics.top_k_categorical_accuracy(one_hot, y_pred, k=k), keras.metrics.top_k_categorical_accuracy(one_hot, y_pred, k=k)
    )
    helpers.assert_close(
        metrics.sparse_top_k_categorical_accuracy(labels, y_pred, k=k),
        keras.metrics.sparse_top_k_categorical_accuracy(labels, y_pred, k=k),
    )


@pytest.mark.keras_parity
def test_sparse_top_k_from_sorted_ids_matches_keras(keras, rng, helpers):
    labels = rng.integers(0, 10, size=(6,))
    ids = np.stack([rng.permutation(10)[:4] for _ in range(6)]).astype(np.int32)
    ids[0, 1] = labels[0]
    helpers.assert_close(
        metrics.sparse_top_k_categorical_accuracy(labels, ids, k=2, from_sorted_ids=True),
        keras.metrics.sparse_top_k_categorical_accuracy(labels, ids, k=2, from_sorted_ids=True),
    )


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls", ["TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy"])
def test_top_k_classes_accumulate_like_keras(keras, rng, helpers, cls):
    batches = []
    for weight in (None, rng.uniform(0, 2, size=(6,)).astype(np.float32)):
        labels = rng.integers(0, 5, size=6)
        y_true = np.eye(5, dtype=np.float32)[labels] if cls.startswith("Top") else labels
        batches.append((y_true, rng.uniform(size=(6, 5)).astype(np.float32), weight))
    helpers.check_metric(keras, cls, batches, k=2)
    helpers.check_metric_config(keras, cls, k=3)


def test_top_k_formula(helpers):
    y_pred = np.array([[0.1, 0.5, 0.4], [0.6, 0.3, 0.1]], np.float32)
    helpers.assert_close(metrics.sparse_top_k_categorical_accuracy([2, 2], y_pred, k=2), [1.0, 0.0])


def test_k_must_be_positive():
    with pytest.raises(ValueError, match="k=0"):
        metrics.TopKCategoricalAccuracy(k=0)
