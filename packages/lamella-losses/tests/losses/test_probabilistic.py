"""Crossentropy losses (binary, categorical, sparse categorical) against Keras 3:
from_logits both ways, label smoothing, class axes, ignore_class, sample weights and
every reduction."""

import warnings

import jax
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lamella import losses


def _probabilities(rng, shape, classes_axis=-1, normalized=True):
    p = rng.uniform(0.01, 1.0, size=shape).astype(np.float32)
    if normalized:
        p = p / p.sum(axis=classes_axis, keepdims=True)
    return p


def _one_hot(rng, shape, axis=-1):
    classes = shape[axis]
    labels = rng.integers(0, classes, size=shape[:axis % len(shape)] + shape[axis % len(shape) + 1:])
    return np.moveaxis(np.eye(classes, dtype=np.float32)[labels], -1, axis)


def _weights_for(kind, values_shape, rng, helpers):
    # Keras 3 cannot broadcast (batch,) weights over (batch, steps) values.
    if kind == "batch" and len(values_shape) > 1:
        kind = "column"
    return helpers.sample_weight(kind, values_shape, rng)


# -- binary crossentropy -----------------------------------------------------------------

# ((6,), (6, 1)) is compared after alignment, as ((6, 1), (6, 1)).
BINARY_SHAPES = (((6,), (6,)), ((6,), (6, 1)), ((6, 4), (6, 4)), ((2, 3, 4), (2, 3, 4)))


@pytest.mark.keras_parity
@pytest.mark.parametrize("shapes", BINARY_SHAPES, ids=str)
@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_binary_crossentropy_function_matches_keras(keras, rng, helpers, shapes, from_logits, label_smoothing):
    true_shape, pred_shape = shapes
    y_true = rng.integers(0, 2, size=true_shape).astype(np.float32)
    y_pred = rng.normal(size=pred_shape).astype(np.float32) if from_logits else _probabilities(rng, pred_shape, normalized=False)
    options = {"from_logits": from_logits, "label_smoothing": label_smoothing}
    actual = losses.binary_crossentropy(y_true, y_pred, **options)
    if true_shape == pred_shape:
        expected = keras.losses.binary_crossentropy(y_true, y_pred, **options)
    else:
        # Keras's function needs equal shapes; its class aligns them, as lamella's
        # function does.
        expected = keras.losses.BinaryCrossentropy(reduction=None, **options)(y_true, y_pred)
    helpers.assert_close(actual, expected)


@pytest.mark.keras_parity
@pytest.mark.parametrize("shapes", BINARY_SHAPES, ids=str)
@pytest.mark.parametrize("weight_kind", [None, "batch", "full", "scalar"])
@pytest.mark.parametrize("from_logits", [False, True])
def test_binary_crossentropy_class_matches_keras_for_every_reduction(keras, rng, helpers, shapes, weight_kind, from_logits):
    true_shape, pred_shape = shapes
    y_true = rng.integers(0, 2, size=true_shape).astype(np.float32)
    y_pred = rng.normal(size=pred_shape).astype(np.float32) if from_logits else _probabilities(rng, pred_shape, normalized=False)
    values_shape = np.shape(losses.binary_crossentropy(y_true, y_pred))
    if weight_kind == "full" and not values_shape:
        pytest.skip("one loss value for the whole batch")
    weight = _weights_for(weight_kind, values_shape, rng, helpers)
    for reduction in helpers.REDUCTIONS:
        options = {"from_logits": from_logits, "label_smoothing": 0.1, "reduction": reduction}
        actual = losses.BinaryCrossentropy(**options)(y_true, y_pred, sample_weight=weight)
        expected = keras.losses.BinaryCrossentropy(**options)(y_true, y_pred, sample_weight=weight)
        helpers.assert_close(actual, expected)


@pytest.mark.keras_parity
@pytest.mark.parametrize("axis", [0, 1, -2])
def test_binary_crossentropy_axis_matches_keras(keras, rng, helpers, axis):
    y_true = rng.integers(0, 2, size=(2, 3, 4)).astype(np.float32)
    y_pred = _probabilities(rng, (2, 3, 4), normalized=False)
    helpers.assert_close(
        losses.BinaryCrossentropy(axis=axis, reduction=None)(y_true, y_pred),
        keras.losses.BinaryCrossentropy(axis=axis, reduction=None)(y_true, y_pred),
    )


@pytest.mark.keras_parity
def test_binary_crossentropy_clips_confident_probabilities_like_keras(keras, helpers):
    y_true = np.array([[1.0, 0.0, 1.0, 0.0]], np.float32)
    y_pred = np.array([[0.0, 1.0, 1.0, 0.0]], np.float32)
    actual = losses.binary_crossentropy(y_true, y_pred)
    helpers.assert_close(actual, keras.losses.binary_crossentropy(y_true, y_pred))
    assert np.isfinite(actual).all()


def test_binary_crossentropy_from_logits_equals_probabilities_of_the_sigmoid(rng, helpers):
    y_true = rng.uniform(size=(6, 4)).astype(np.float32)
    logits = rng.normal(size=(6, 4)).astype(np.float32)
    probabilities = 1.0 / (1.0 + np.exp(-logits))
    # rtol 1e-5: log_sigmoid of logits and log of float32 probabilities round apart.
    helpers.assert_close(
        losses.binary_crossentropy(y_true, logits, from_logits=True),
        losses.binary_crossentropy(y_true, probabilities),
        rtol=1e-5,
    )


def test_binary_crossentropy_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"y_true.shape=\(2, 3\), y_pred.shape=\(2, 4\)"):
        losses.binary_crossentropy(np.zeros((2, 3)), np.full((2, 4), 0.5))


# -- categorical crossentropy ------------------------------------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize("shape", [(6, 4), (2, 3, 4), (4,)], ids=str)
@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
@pytest.mark.parametrize("normalized", [True, False])
def test_categorical_crossentropy_function_matches_keras(keras, rng, helpers, shape, from_logits, label_smoothing, normalized):
    y_true = _one_hot(rng, shape)
    y_pred = rng.normal(size=shape).astype(np.float32) if from_logits else _probabilities(rng, shape, normalized=normalized)
    options = {"from_logits": from_logits, "label_smoothing": label_smoothing}
    helpers.assert_close(
        losses.categorical_crossentropy(y_true, y_pred, **options),
        keras.losses.categorical_crossentropy(y_true, y_pred, **options),
    )


@pytest.mark.keras_parity
@pytest.mark.parametrize("shape", [(6, 4), (2, 3, 4)], ids=str)
@pytest.mark.parametrize("weight_kind", [None, "batch", "full", "scalar"])
@pytest.mark.parametrize("from_logits", [False, True])
def test_categorical_crossentropy_class_matches_keras_for_every_reduction(keras, rng, helpers, shape, weight_kind, from_logits):
    y_true = _one_hot(rng, shape)
    y_pred = rng.normal(size=shape).astype(np.float32) if from_logits else _probabilities(rng, shape)
    weight = _weights_for(weight_kind, shape[:-1], rng, helpers)
    for reduction in helpers.REDUCTIONS:
        options = {"from_logits": from_logits, "label_smoothing": 0.1, "reduction": reduction}
        helpers.assert_close(
            losses.CategoricalCrossentropy(**options)(y_true, y_pred, sample_weight=weight),
            keras.losses.CategoricalCrossentropy(**options)(y_true, y_pred, sample_weight=weight),
        )


@pytest.mark.keras_parity
@pytest.mark.parametrize("from_logits", [False, True])
def test_categorical_crossentropy_class_axis_matches_keras(keras, rng, helpers, from_logits):
    shape = (2, 4, 3)  # classes on axis 1
    y_true = _one_hot(rng, shape, axis=1)
    y_pred = rng.normal(size=shape).astype(np.float32) if from_logits else _probabilities(rng, shape, classes_axis=1)
    options = {"from_logits": from_logits, "axis": 1}
    helpers.assert_close(
        losses.CategoricalCrossentropy(reduction=None, **options)(y_true, y_pred),
        keras.losses.CategoricalCrossentropy(reduction=None, **options)(y_true, y_pred),
    )


@pytest.mark.keras_parity
def test_categorical_label_smoothing_uses_the_classes_of_the_class_axis(keras, rng, helpers):
    # Keras smooths by 1 / (size of the LAST axis) whatever `axis` is; lamella by the
    # number of classes on `axis`, which is what Keras computes with the classes
    # moved last.
    shape = (2, 4, 3)
    y_true = _one_hot(rng, shape, axis=1)
    y_pred = _probabilities(rng, shape, classes_axis=1)
    actual = losses.categorical_crossentropy(y_true, y_pred, label_smoothing=0.2, axis=1)
    expected = keras.losses.categorical_crossentropy(
        np.moveaxis(y_true, 1, -1), np.moveaxis(y_pred, 1, -1), label_smoothing=0.2
    )
    helpers.assert_close(actual, expected)


def test_categorical_crossentropy_checks_axis_and_shapes():
    y = np.full((2, 3), 1 / 3, np.float32)
    with pytest.raises(ValueError, match="axis=True"):
        losses.categorical_crossentropy(y, y, axis=True)
    with pytest.raises(ValueError, match="axis=2"):
        losses.categorical_crossentropy(y, y, axis=2)
    with pytest.raises(ValueError, match="same shape"):
        losses.categorical_crossentropy(y, np.full((2, 4), 0.25, np.float32))


@pytest.mark.keras_parity
def test_categorical_crossentropy_warns_for_a_single_class(keras):
    with pytest.warns(SyntaxWarning, match="binary_crossentropy"):
        value = losses.categorical_crossentropy(np.ones((3, 1)), np.full((3, 1), 0.4))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_allclose(value, keras.losses.categorical_crossentropy(np.ones((3, 1)), np.full((3, 1), 0.4)), atol=1e-6)


# -- sparse categorical crossentropy -----------------------------------------------------

# (y_true shape, y_pred shape)
SPARSE_SHAPES = (((6,), (6, 4)), ((6, 1), (6, 4)), ((2, 3), (2, 3, 4)), ((2, 3, 1), (2, 3, 4)))


def _sparse_data(rng, true_shape, pred_shape, from_logits):
    y_true = rng.integers(0, pred_shape[-1], size=true_shape)
    y_pred = rng.normal(size=pred_shape).astype(np.float32) if from_logits else _probabilities(rng, pred_shape)
    return y_true, y_pred


@pytest.mark.keras_parity
@pytest.mark.parametrize("shapes", SPARSE_SHAPES, ids=str)
@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("ignore_class", [None, 0, -1])
def test_sparse_categorical_crossentropy_function_matches_keras(keras, rng, helpers, shapes, from_logits, ignore_class):
    y_true, y_pred = _sparse_data(rng, *shapes, from_logits)
    if ignore_class == -1:
        y_true = np.where(rng.uniform(size=y_true.shape) < 0.3, -1, y_true)
    options = {"from_logits": from_logits, "ignore_class": ignore_class}
    helpers.assert_close(
        losses.sparse_categorical_crossentropy(y_true, y_pred, **options),
        keras.losses.sparse_categorical_crossentropy(y_true, y_pred, **options),
    )


@pytest.mark.keras_parity
@pytest.mark.parametrize("shapes", SPARSE_SHAPES, ids=str)
@pytest.mark.parametrize("weight_kind", [None, "batch", "full", "scalar"])
@pytest.mark.parametrize("ignore_class", [None, 1])
def test_sparse_categorical_crossentropy_class_matches_keras_for_every_reduction(keras, rng, helpers, shapes, weight_kind, ignore_class):
    y_true, y_pred = _sparse_data(rng, *shapes, from_logits=True)
    if ignore_class is not None:
        y_true.reshape(-1)[:2] = ignore_class  # at least two ignored targets
    values_shape = shapes[1][:-1]
    weight = _weights_for(weight_kind, values_shape, rng, helpers)
    for reduction in helpers.REDUCTIONS:
        options = {"from_logits": True, "ignore_class": ignore_class, "reduction": reduction}
        helpers.assert_close(
            losses.SparseCategoricalCrossentropy(**options)(y_true, y_pred, sample_weight=weight),
            keras.losses.SparseCategoricalCrossentropy(**options)(y_true, y_pred, sample_weight=weight),
        )


@pytest.mark.keras_parity
def test_sparse_ignore_class_takes_ignored_targets_out_of_the_mean(keras, helpers):
    y_true = np.array([0, 2, -1, -1, 3, -1])
    y_pred = np.log(np.array([[0.4, 0.1, 0.25, 0.25]] * 6, np.float32))
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)
    expected = (-np.log(0.4) - np.log(0.25) - np.log(0.25)) / 3  # float64: rtol 1e-5 below
    helpers.assert_close(loss(y_true, y_pred), expected, rtol=1e-5)
    helpers.assert_close(
        loss(y_true, y_pred),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)(y_true, y_pred),
    )
    everything_ignored = np.full(6, -1)
    helpers.assert_close(loss(everything_ignored, y_pred), 0.0)


@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_ignore_class_gives_finite_zero_gradients_for_ignored_rows(from_logits):
    # An ignored row may hold anything, all zeros (padding) included: its loss and
    # gradient are 0, never NaN (Keras zeroes such rows, and 0/0 makes its
    # probability gradients NaN).
    y_true = np.array([1, -1, 0])
    y_pred = np.array([[0.2, 0.8], [0.0, 0.0], [0.5, 0.5]], np.float32)
    loss = losses.SparseCategoricalCrossentropy(from_logits=from_logits, ignore_class=-1)
    value, grad = jax.jit(jax.value_and_grad(lambda p: loss(y_true, p)))(y_pred)
    assert np.isfinite(value) and np.isfinite(grad).all()
    np.testing.assert_array_equal(grad[1], 0.0)
    assert np.abs(grad[0]).sum() > 0


@pytest.mark.keras_parity
@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("ignore_class", [None, 2])
def test_sparse_class_axis_equals_keras_with_classes_last(keras, rng, helpers, from_logits, ignore_class):
    # Keras's jax backend only accepts axis=-1 for sparse targets; lamella takes any
    # class axis, and equals Keras on the same data with the classes moved last.
    y_pred = rng.normal(size=(2, 4, 3)).astype(np.float32)  # classes on axis 1
    if not from_logits:
        y_pred = _probabilities(rng, (2, 4, 3), classes_axis=1)
    y_true = rng.integers(0, 4, size=(2, 3))
    for axis in (1, -2):
        loss = losses.SparseCategoricalCrossentropy(from_logits=from_logits, ignore_class=ignore_class, axis=axis, reduction=None)
        expected = keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits, ignore_class=ignore_class, reduction=None)(
            y_true, np.moveaxis(y_pred, 1, -1)
        )
        helpers.assert_close(loss(y_true, y_pred), expected)
        helpers.assert_close(loss(y_true[:, None, :], y_pred), expected)  # a class axis of 1


def test_sparse_rejects_targets_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"y_true.shape=\(3,\), y_pred.shape=\(4, 3\)"):
        losses.sparse_categorical_crossentropy(np.zeros(3, np.int32), np.full((4, 3), 1 / 3))


@settings(max_examples=6, deadline=None)
@given(
    batch=st.integers(1, 3), steps=st.integers(1, 2), classes=st.integers(2, 4),
    seed=st.integers(0, 2**16), from_logits=st.booleans(),
)
def test_sparse_equals_categorical_on_one_hot_targets(batch, steps, classes, seed, from_logits):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, size=(batch, steps))
    y_pred = rng.normal(size=(batch, steps, classes)).astype(np.float32)
    if not from_logits:
        y_pred = np.exp(y_pred) / np.exp(y_pred).sum(-1, keepdims=True)
    one_hot = np.eye(classes, dtype=np.float32)[labels]
    # Jitted: one compilation per example instead of one per operation.
    sparse = jax.jit(losses.sparse_categorical_crossentropy, static_argnames="from_logits")
    dense = jax.jit(losses.categorical_crossentropy, static_argnames="from_logits")
    np.testing.assert_allclose(
        sparse(labels, y_pred, from_logits=from_logits),
        dense(one_hot, y_pred, from_logits=from_logits),
        rtol=1e-6, atol=1e-6,
    )


# -- configs -----------------------------------------------------------------------------

CONFIGS = (
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1, "axis": 0, "reduction": "sum", "name": "b"}),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2, "axis": 1, "reduction": None, "name": "c"}),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 3, "reduction": "mean", "name": "s"}),
)


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls, options", CONFIGS, ids=[c for c, _ in CONFIGS])
def test_crossentropy_config_round_trip_matches_keras(keras, cls, options):
    loss = getattr(losses, cls)(**options)
    config = loss.get_config()
    keras_config = getattr(keras.losses, cls)(**options).get_config()
    for key, value in keras_config.items():
        assert config[key] == value, key
    clone = getattr(losses, cls).from_config(config)
    assert clone.get_config() == config
    # A Keras config rebuilds the same lamella loss.
    assert getattr(losses, cls).from_config(keras_config).get_config() == config


def test_sparse_config_keeps_the_class_axis():
    loss = losses.SparseCategoricalCrossentropy(axis=1)
    assert losses.SparseCategoricalCrossentropy.from_config(loss.get_config()).axis == 1


# -- Kullback-Leibler divergence and Poisson -------------------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize("function, cls", [("kl_divergence", "KLDivergence"), ("poisson", "Poisson")])
@pytest.mark.parametrize("shape", [(6, 4), (2, 3, 4)], ids=str)
def test_kl_divergence_and_poisson_match_keras(keras, rng, helpers, function, cls, shape):
    if function == "poisson":
        y_true = rng.integers(0, 4, size=shape).astype(np.float32)
        y_pred = rng.uniform(0.1, 3.0, size=shape).astype(np.float32)
    else:
        # Some zero targets and predictions above 1 exercise the clipping.
        y_true = _probabilities(rng, shape)
        y_true[..., 0] = 0.0
        y_pred = rng.uniform(0.0, 1.2, size=shape).astype(np.float32)
    helpers.assert_close(getattr(losses, function)(y_true, y_pred), getattr(keras.losses, function)(y_true, y_pred), rtol=1e-5)
    for kind in (None, "full", "scalar"):
        weight = helpers.sample_weight(kind, shape[:-1], rng)
        helpers.check_loss_class(keras, cls, y_true, y_pred, weight, rtol=1e-5)


def test_kl_divergence_formula_and_zero_for_equal_distributions(rng, helpers):
    p = _probabilities(rng, (3, 4))
    q = _probabilities(rng, (3, 4))
    helpers.assert_close(losses.kl_divergence(p, q), np.sum(p * np.log(p / q), -1), rtol=1e-5)
    helpers.assert_close(losses.kl_divergence(p, p), np.zeros(3), atol=1e-6)


def test_poisson_formula(helpers):
    y_true = np.array([[0.0, 2.0]], np.float32)
    y_pred = np.array([[1.0, 0.5]], np.float32)
    expected = np.mean(y_pred - y_true * np.log(y_pred + 1e-7), axis=-1)
    helpers.assert_close(losses.poisson(y_true, y_pred), expected)


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls", ["KLDivergence", "Poisson"])
def test_kl_divergence_and_poisson_configs(keras, helpers, cls):
    helpers.check_loss_config(keras, cls)
