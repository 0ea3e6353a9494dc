"""The ``Loss`` base class and ``reduce_weighted_values`` (lamella-core), through
lamella-losses: reductions, masks, sample weights, dtype and custom losses."""

import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lamella import losses


@pytest.mark.keras_parity
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None])
@pytest.mark.parametrize("with_weight", [False, True])
@pytest.mark.parametrize("with_mask", [False, True])
def test_reduce_weighted_values_matches_keras(keras, rng, helpers, reduction, with_weight, with_mask):
    from keras.src.losses.loss import reduce_weighted_values as keras_reduce

    values = rng.uniform(size=(4, 3)).astype(np.float32)
    weight = rng.uniform(size=(4, 3)).astype(np.float32) if with_weight else None
    mask = np.array([[1, 1, 0], [0, 0, 0], [1, 0, 1], [1, 1, 1]], bool) if with_mask else None
    helpers.assert_close(
        losses.reduce_weighted_values(values, weight, mask=mask, reduction=reduction),
        keras_reduce(values, weight, mask=mask, reduction=reduction),
    )


def test_reduce_weighted_values_rejects_unknown_reductions():
    with pytest.raises(ValueError, match="reduction='avg'"):
        losses.reduce_weighted_values(np.ones(3), reduction="avg")


def test_mask_of_all_false_reduces_to_zero_not_nan(helpers):
    values = np.ones((2, 2), np.float32)
    for reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight", "sum"):
        helpers.assert_close(
            losses.reduce_weighted_values(values, mask=np.zeros((2, 2), bool), reduction=reduction), 0.0
        )


@settings(max_examples=4, deadline=None)
@given(
    shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=3),
    seed=st.integers(0, 2**16),
)
def test_sum_over_batch_size_is_the_weighted_sum_over_the_value_count(shape, seed):
    rng = np.random.default_rng(seed)
    values = rng.uniform(size=shape).astype(np.float32)
    weight = rng.uniform(size=shape[:1]).astype(np.float32)  # one per sample
    broadcast = weight.reshape(shape[:1] + (1,) * (len(shape) - 1))
    total = np.sum(values * broadcast, dtype=np.float64)
    # rtol 1e-5: float32 sums against a float64 reference.
    np.testing.assert_allclose(losses.reduce_weighted_values(values, weight), total / values.size, rtol=1e-5)
    np.testing.assert_allclose(losses.reduce_weighted_values(values, weight, reduction="sum"), total, rtol=1e-5)
    np.testing.assert_allclose(
        losses.reduce_weighted_values(values, weight, reduction="mean_with_sample_weight"),
        total / weight.sum() if weight.sum() else 0.0, rtol=1e-5,
    )


class SquaredLoss(losses.Loss):
    def call(self, y_true, y_pred):
        return jnp.square(y_true - y_pred)


@pytest.mark.keras_parity
def test_custom_loss_subclass_matches_keras(keras, rng, helpers):
    class KerasSquared(keras.losses.Loss):
        def call(self, y_true, y_pred):
            return keras.ops.square(y_true - y_pred)

    y_true = rng.normal(size=(4, 3)).astype(np.float32)
    y_pred = rng.normal(size=(4, 3)).astype(np.float32)
    weight = rng.uniform(size=(4, 1)).astype(np.float32)
    for reduction in ("sum_over_batch_size", "sum", "mean_with_sample_weight"):
        helpers.assert_close(
            SquaredLoss(reduction=reduction)(y_true, y_pred, sample_weight=weight),
            KerasSquared(reduction=reduction)(y_true, y_pred, sample_weight=weight),
        )
    assert SquaredLoss().name == "squared_loss"
    assert SquaredLoss(name="sq", reduction="sum").get_config() == {"name": "sq", "reduction": "sum"}


@pytest.mark.keras_parity
def test_function_wrapper_aligns_batch_targets_with_batch_by_1_predictions_like_keras(keras, helpers):
    from keras.src.losses.losses import LossFunctionWrapper as KerasWrapper

    def squared(y_true, y_pred):
        return jnp.mean(jnp.square(y_true - y_pred), axis=-1)

    y_true = np.array([0.0, 1.0, 2.0], np.float32)
    y_pred = np.array([[1.0], [1.0], [1.0]], np.float32)
    actual = losses.LossFunctionWrapper(squared, reduction="sum")(y_true, y_pred)
    expected = KerasWrapper(lambda t, p: keras.ops.mean(keras.ops.square(t - p), axis=-1), reduction="sum")(y_true, y_pred)
    helpers.assert_close(actual, expected)
    helpers.assert_close(actual, 2.0)  # not the (3, 3) broadcast


def test_loss_without_call_names_itself():
    with pytest.raises(NotImplementedError, match="_Empty"):
        type("_Empty", (losses.Loss,), {})()(np.ones(2), np.ones(2))


def test_loss_dtype_accepts_a_dtype_policy():
    from lamella import dtype_policies

    loss = losses.MeanAbsoluteError(dtype=dtype_policies.DTypePolicy("mixed_bfloat16"))
    assert loss.dtype == "bfloat16"
    assert loss(np.ones(4), np.zeros(4)).dtype == jnp.bfloat16
