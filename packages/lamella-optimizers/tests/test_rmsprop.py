"""RMSprop (plain, centered, with momentum) against Keras 3 and its formula."""

import numpy as np
import pytest

from lamella import optimizers


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"learning_rate": 0.01},
        {"learning_rate": 0.01, "rho": 0.5},
        {"learning_rate": 0.01, "rho": 0.0},
        {"learning_rate": 0.01, "momentum": 0.9},
        {"learning_rate": 0.01, "centered": True},
        {"learning_rate": 0.01, "centered": True, "momentum": 0.5, "rho": 0.8},
        {"learning_rate": 0.01, "epsilon": 1e-3},
        {"learning_rate": 0.01, "weight_decay": 0.3},
        {"learning_rate": 0.01, "centered": True, "clipnorm": 0.5},
        {"learning_rate": 0.01, "momentum": 0.9, "clipvalue": 0.2},
        {"learning_rate": 0.01, "global_clipnorm": 0.5},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults",
)
def test_rmsprop_matches_keras_after_1_and_10_steps(check_parity, options):
    check_parity("RMSprop", **options)


def test_rmsprop_follows_its_formula():
    import lamella

    lr, rho, mu, eps = 0.01, 0.8, 0.5, 1e-7
    for centered in (False, True):
        variable = lamella.Variable(np.zeros(2, np.float32))
        optimizer = optimizers.RMSprop(learning_rate=lr, rho=rho, momentum=mu, epsilon=eps, centered=centered)
        w = s = a = m = np.zeros(2)
        for g in ([1.0, -2.0], [0.5, 0.5], [-1.0, 0.1]):
            g = np.asarray(g, np.float64)
            optimizer.apply([g.astype(np.float32)], [variable])
            s = rho * s + (1 - rho) * g**2
            a = rho * a + (1 - rho) * g
            denominator = s - a**2 if centered else s
            m = mu * m + lr * g / np.sqrt(denominator + eps)
            w = w - m
        # rtol 1e-5: a float32 run against this float64 reference.
        np.testing.assert_allclose(variable.numpy(), w, rtol=1e-5, atol=1e-7)


def test_rmsprop_creates_momentum_and_average_slots_only_when_asked():
    import lamella

    variables = [lamella.Variable(np.zeros((2, 2), np.float32))]
    counts = {}
    for momentum, centered in ((0.0, False), (0.5, False), (0.0, True), (0.5, True)):
        optimizer = optimizers.RMSprop(momentum=momentum, centered=centered)
        optimizer.build(variables)
        counts[momentum, centered] = len(optimizer.variables) - 2
    assert counts == {(0.0, False): 1, (0.5, False): 2, (0.0, True): 2, (0.5, True): 3}


def test_rmsprop_config_round_trip():
    optimizer = optimizers.RMSprop(learning_rate=0.01, rho=0.7, momentum=0.2, epsilon=1e-6, centered=True, clipvalue=1.0)
    config = optimizer.get_config()
    assert {k: config[k] for k in ("rho", "momentum", "epsilon", "centered", "clipvalue")} == {
        "rho": 0.7, "momentum": 0.2, "epsilon": 1e-6, "centered": True, "clipvalue": 1.0,
    }
    assert optimizers.RMSprop.from_config(config).get_config() == config


@pytest.mark.parametrize(
    "argument, value", [("rho", 1.1), ("rho", -0.5), ("momentum", -0.9), ("epsilon", -1.0)]
)
def test_rmsprop_rejects_invalid_hyper_parameters(argument, value):
    with pytest.raises(ValueError, match=argument):
        optimizers.RMSprop(**{argument: value})
