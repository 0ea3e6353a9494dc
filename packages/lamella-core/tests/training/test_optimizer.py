"""The ``Optimizer`` base class on lamella-core alone (with ``PlainSGD``): moving
averages, gradient accumulation, loss scaling in ``fit``, Keras 2's ``lr`` and
``decay``, weight-decay exclusions; numpy references (state and config: test_optimizer_saving)."""

import jax
import numpy as np
import pytest

import lamella
from lamella.engine.sequential import Sequential
from lamella.testing import Linear, PlainSGD, squared_error


def _run(optimizer, weights, gradients):
    variable = lamella.Variable(np.asarray(weights, np.float32))
    for g in gradients:
        optimizer.apply([np.asarray(g, np.float32)], [variable])
    return variable


GRADIENTS = [[1.0, -2.0], [0.5, 0.5], [-1.0, 3.0], [2.0, 0.0]]


def test_moving_average_copies_then_follows_its_recurrence():
    optimizer = PlainSGD(0.1, use_ema=True, ema_momentum=0.75)
    variable = _run(optimizer, [1.0, 1.0], GRADIENTS)
    w, average = np.ones(2), None
    for g in GRADIENTS:
        w = w - 0.1 * np.asarray(g)
        average = w if average is None else 0.75 * average + 0.25 * w
    np.testing.assert_allclose(variable.numpy(), w, rtol=1e-6)
    optimizer.finalize_variable_values([variable])
    np.testing.assert_allclose(variable.numpy(), average, rtol=1e-6)


def test_ema_overwrite_frequency_writes_the_average_into_the_weights():
    optimizer = PlainSGD(0.1, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=2)
    variable = _run(optimizer, [1.0, 1.0], GRADIENTS[:2])
    np.testing.assert_allclose(variable.numpy(), optimizer._averages[0].numpy())


def test_gradient_accumulation_steps_with_the_mean():
    optimizer = PlainSGD(1.0, gradient_accumulation_steps=2)
    variable = _run(optimizer, [0.0, 0.0], GRADIENTS)
    expected = -(np.mean(GRADIENTS[:2], axis=0) + np.mean(GRADIENTS[2:], axis=0))
    np.testing.assert_allclose(variable.numpy(), expected, rtol=1e-6)
    assert int(np.asarray(optimizer.iterations)) == 2
    np.testing.assert_array_equal(optimizer._accumulators[0].numpy(), 0.0)


def test_lr_and_decay_are_keras_2_arguments():
    with pytest.warns(DeprecationWarning, match="lr"):
        optimizer = PlainSGD(lr=0.5, decay=1.0)
    variable = _run(optimizer, [0.0, 0.0], GRADIENTS[:2])
    expected = -(0.5 * np.asarray(GRADIENTS[0]) + 0.25 * np.asarray(GRADIENTS[1]))
    np.testing.assert_allclose(variable.numpy(), expected, rtol=1e-6)


def test_weight_decay_skips_excluded_variables():
    optimizer = PlainSGD(0.1, weight_decay=0.5)
    decayed, kept = lamella.Variable(np.ones(2, np.float32), name="kernel"), lamella.Variable(np.ones(2, np.float32), name="bias")
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    optimizer.apply([np.zeros(2, np.float32)] * 2, [decayed, kept])
    np.testing.assert_allclose(decayed.numpy(), 1 - 0.1 * 0.5)
    np.testing.assert_allclose(kept.numpy(), 1.0)


def test_loss_scale_factor_scales_the_loss_and_unscales_the_gradients():
    optimizer = PlainSGD(0.1, loss_scale_factor=64.0)
    assert float(optimizer.scale_loss(np.float32(2.0))) == 128.0
    variable = _run(optimizer, [0.0, 0.0], [[64.0, -128.0]])
    np.testing.assert_allclose(variable.numpy(), [-0.1, 0.2])


def _fit(optimizer, rng_seed=0):
    rng = np.random.default_rng(rng_seed)
    x = rng.normal(size=(64, 3)).astype(np.float32)
    y = x @ np.array([[1.0], [-1.0], [0.5]], np.float32)
    lamella.utils.set_random_seed(3)
    model = Sequential([lamella.Input((3,)), Linear(1)])
    model.compile(optimizer=optimizer, loss=squared_error)
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0, shuffle=False)
    return model, history.history["loss"]


def test_fit_differentiates_the_scaled_loss_and_logs_the_unscaled_one():
    # A power-of-two scale is exact in float32: training is unchanged, and so is
    # the logged loss.
    plain_model, plain_losses = _fit(PlainSGD(0.05))
    scaled_model, scaled_losses = _fit(PlainSGD(0.05, loss_scale_factor=1024.0))
    np.testing.assert_allclose(scaled_losses, plain_losses, rtol=1e-6)
    for a, b in zip(scaled_model.get_weights(), plain_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_fit_ends_with_the_moving_averages_in_the_weights():
    optimizer = PlainSGD(0.05, use_ema=True, ema_momentum=0.9)
    model, _ = _fit(optimizer)
    for weight, average in zip(model.get_weights(), optimizer._averages):
        np.testing.assert_array_equal(weight, average.numpy())


def test_gradient_accumulation_in_fit_equals_a_double_batch():
    # Accumulating two batches of 16 is one step on their 32 samples (a mean loss).
    accumulated, _ = _fit(PlainSGD(0.05, gradient_accumulation_steps=2))
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype(np.float32)
    y = x @ np.array([[1.0], [-1.0], [0.5]], np.float32)
    lamella.utils.set_random_seed(3)
    model = Sequential([lamella.Input((3,)), Linear(1)])
    model.compile(optimizer=PlainSGD(0.05), loss=squared_error)
    model.fit(x, y, epochs=3, batch_size=32, verbose=0, shuffle=False)
    for a, b in zip(accumulated.get_weights(), model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_features_compose_inside_jit():
    def run(optimizer):
        variable = lamella.Variable(np.ones(2, np.float32))
        optimizer.build([variable])
        step = jax.jit(optimizer.stateless_apply)
        state, values = [v.value for v in optimizer.variables], [variable.value]
        for g in GRADIENTS:
            values, state = step(state, [np.asarray(g, np.float32)], values)
        return np.asarray(values[0])

    options = {"use_ema": True, "ema_overwrite_frequency": 3, "gradient_accumulation_steps": 2, "decay": 0.2,
               "loss_scale_factor": 2.0, "weight_decay": 0.1, "clipvalue": 1.0}
    np.testing.assert_allclose(run(PlainSGD(0.1, **options)), _run(PlainSGD(0.1, **options), [1.0, 1.0], GRADIENTS).numpy(), rtol=1e-6)
