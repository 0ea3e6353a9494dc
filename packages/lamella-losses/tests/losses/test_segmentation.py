"""Dice and Tversky against Keras 3: whole-batch and per-sample axes, alpha and
beta, sample weights, and their formulas."""

import numpy as np
import pytest

from lamella import losses


def _masks(rng, shape=(3, 4, 4, 1)):
    y_true = (rng.uniform(size=shape) > 0.5).astype(np.float32)
    y_pred = rng.uniform(size=shape).astype(np.float32)
    return y_true, y_pred


@pytest.mark.keras_parity
@pytest.mark.parametrize("axis", [None, (1, 2, 3), (1, 2)])
@pytest.mark.parametrize("cls, function, options", [("Dice", "dice", {}), ("Tversky", "tversky", {}), ("Tversky", "tversky", {"alpha": 0.7, "beta": 0.2})])
def test_overlap_losses_match_keras(keras, rng, helpers, axis, cls, function, options):
    y_true, y_pred = _masks(rng)
    helpers.assert_close(
        getattr(losses, function)(y_true, y_pred, axis=axis, **options),
        getattr(keras.losses, function)(y_true, y_pred, axis=axis, **options),
    )
    weight = None if axis is None else helpers.sample_weight("batch", (3,), rng)
    helpers.check_loss_class(keras, cls, y_true, y_pred, weight, axis=axis, **options)


def test_dice_and_tversky_formulas(helpers):
    y_true = np.array([[1.0, 1.0, 0.0, 0.0]], np.float32)
    y_pred = np.array([[1.0, 0.5, 0.5, 0.0]], np.float32)
    helpers.assert_close(losses.dice(y_true, y_pred), 1 - 2 * 1.5 / (2 + 2 + 1e-7))
    # TP = 1.5, missed targets = 0.5, predictions off target = 0.5
    helpers.assert_close(losses.tversky(y_true, y_pred, alpha=0.8, beta=0.2), 1 - 1.5 / (1.5 + 0.8 * 0.5 + 0.2 * 0.5 + 1e-7))
    helpers.assert_close(losses.tversky(y_true, y_pred), losses.dice(y_true, y_pred))


def test_per_sample_axis_gives_one_value_per_sample(rng):
    y_true, y_pred = _masks(rng)
    assert losses.Dice(axis=(1, 2, 3), reduction=None)(y_true, y_pred).shape == (3,)
    assert losses.Dice(reduction=None)(y_true, y_pred).shape == ()


def test_axis_must_be_integers():
    with pytest.raises(ValueError, match="axis='spatial'"):
        losses.Dice(axis="spatial")


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls, options", [("Dice", {"axis": (1, 2)}), ("Tversky", {"alpha": 0.3, "beta": 0.7, "axis": 1})])
def test_config_round_trip(keras, helpers, cls, options):
    helpers.check_loss_config(keras, cls, **options)
    loss = getattr(losses, cls)(**options)
    # A config read back from JSON holds lists: the axes still work.
    config = {**loss.get_config(), "axis": list(np.atleast_1d(options["axis"]))}
    y_true, y_pred = (np.ones((2, 3, 3), np.float32), np.full((2, 3, 3), 0.5, np.float32))
    np.testing.assert_allclose(getattr(losses, cls).from_config(config)(y_true, y_pred), loss(y_true, y_pred), rtol=1e-6)
