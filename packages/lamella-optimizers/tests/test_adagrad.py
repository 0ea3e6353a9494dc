"""Adagrad against Keras 3 and its formula."""

import numpy as np
import pytest

from lamella import optimizers


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"learning_rate": 0.1},
        {"learning_rate": 0.1, "initial_accumulator_value": 0.0},
        {"learning_rate": 0.1, "initial_accumulator_value": 2.5},
        {"learning_rate": 0.1, "epsilon": 1e-2},
        {"learning_rate": 0.1, "weight_decay": 0.05},
        {"learning_rate": 0.1, "clipnorm": 0.5},
        {"learning_rate": 0.1, "clipvalue": 0.5},
        {"learning_rate": 0.1, "global_clipnorm": 0.5},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults",
)
def test_adagrad_matches_keras_after_1_and_10_steps(check_parity, options):
    check_parity("Adagrad", **options)


def test_adagrad_follows_its_formula():
    import lamella

    lr, a0, eps = 0.1, 0.5, 1e-7
    variable = lamella.Variable(np.ones(2, np.float32))
    optimizer = optimizers.Adagrad(learning_rate=lr, initial_accumulator_value=a0, epsilon=eps)
    w, a = np.ones(2), np.full(2, a0)
    for g in ([1.0, -2.0], [0.5, 0.5], [-1.0, 0.1]):
        g = np.asarray(g)
        optimizer.apply([g.astype(np.float32)], [variable])
        a = a + g**2
        w = w - lr * g / np.sqrt(a + eps)
    np.testing.assert_allclose(variable.numpy(), w, rtol=1e-6)
    np.testing.assert_allclose(optimizer.accumulators[0].numpy(), a, rtol=1e-6)


def test_adagrad_accumulator_starts_at_initial_value():
    import lamella

    optimizer = optimizers.Adagrad(initial_accumulator_value=0.7)
    optimizer.build([lamella.Variable(np.zeros((2, 3), np.float32))])
    np.testing.assert_allclose(optimizer.accumulators[0].numpy(), np.full((2, 3), 0.7), rtol=1e-6)


def test_adagrad_config_round_trip():
    optimizer = optimizers.Adagrad(learning_rate=0.2, initial_accumulator_value=0.3, epsilon=1e-4, global_clipnorm=2.0)
    config = optimizer.get_config()
    assert config["initial_accumulator_value"] == 0.3 and config["epsilon"] == 1e-4
    assert optimizers.Adagrad.from_config(config).get_config() == config


@pytest.mark.parametrize(
    "argument, value", [("initial_accumulator_value", -0.1), ("epsilon", -1e-7), ("initial_accumulator_value", "0.1")]
)
def test_adagrad_rejects_invalid_hyper_parameters(argument, value):
    with pytest.raises(ValueError, match=argument):
        optimizers.Adagrad(**{argument: value})
