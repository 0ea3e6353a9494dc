"""SGD: plain, momentum and Nesterov steps against Keras 3 and the formula."""

import numpy as np
import pytest

from lamella import optimizers

# Keras's own Variable.numpy() (called by its get_config) trips a numpy 2 warning.
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"learning_rate": 0.1},
        {"learning_rate": 0.05, "momentum": 0.9},
        {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True},
        {"learning_rate": 0.05, "momentum": 1.0},
        {"learning_rate": 0.1, "nesterov": True},
        {"learning_rate": 0.1, "momentum": 0.5, "weight_decay": 0.1},
        {"learning_rate": 0.1, "momentum": 0.5, "clipnorm": 0.5},
        {"learning_rate": 0.1, "momentum": 0.5, "clipvalue": 0.3},
        {"learning_rate": 0.1, "momentum": 0.5, "global_clipnorm": 1.0},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults",
)
def test_sgd_matches_keras_after_1_and_10_steps(check_parity, options):
    check_parity("SGD", **options)


def test_sgd_plain_step_is_learning_rate_times_gradient():
    import lamella

    variable = lamella.Variable(np.array([1.0, -2.0], np.float32))
    optimizers.SGD(learning_rate=0.5).apply([np.array([0.2, 0.4], np.float32)], [variable])
    np.testing.assert_allclose(variable.numpy(), [0.9, -2.2], rtol=1e-6)


def test_sgd_momentum_follows_the_velocity_formula():
    import lamella

    lr, mu = 0.1, 0.9
    grads = [np.float32(1.0), np.float32(-0.5), np.float32(2.0)]
    for nesterov in (False, True):
        variable = lamella.Variable(np.float32(0.0))
        optimizer = optimizers.SGD(learning_rate=lr, momentum=mu, nesterov=nesterov)
        w, v = 0.0, 0.0
        for g in grads:
            optimizer.apply([g], [variable])
            v = mu * v - lr * g
            w = w + (mu * v - lr * g if nesterov else v)
            np.testing.assert_allclose(variable.numpy(), w, rtol=1e-6)


def test_sgd_without_momentum_has_no_slots_and_with_momentum_one_per_variable():
    import lamella

    variables = [lamella.Variable(np.zeros(3, np.float32)), lamella.Variable(np.zeros(2, np.float32))]
    plain = optimizers.SGD()
    plain.build(variables)
    assert len(plain.variables) == 2  # iteration and learning rate
    heavy = optimizers.SGD(momentum=0.9)
    heavy.build(variables)
    heavy.build(variables)  # a second build adds nothing
    assert [v.shape for v in heavy.variables[2:]] == [(3,), (2,)]


@pytest.mark.keras_parity
def test_sgd_config_round_trip_matches_keras_keys(keras):
    optimizer = optimizers.SGD(learning_rate=0.2, momentum=0.8, nesterov=True, clipnorm=1.0, name="opt")
    config = optimizer.get_config()
    assert config == {
        "name": "opt", "learning_rate": pytest.approx(0.2), "weight_decay": None,
        "clipnorm": 1.0, "clipvalue": None, "global_clipnorm": None, "use_ema": False,
        "ema_momentum": 0.99, "ema_overwrite_frequency": None, "loss_scale_factor": None,
        "gradient_accumulation_steps": None, "momentum": 0.8, "nesterov": True,
    }
    clone = optimizers.SGD.from_config(config)
    assert clone.get_config() == config
    keras_config = keras.optimizers.SGD(learning_rate=0.2, momentum=0.8, nesterov=True, clipnorm=1.0, name="opt").get_config()
    for key, value in config.items():
        assert keras_config[key] == value


def test_sgd_default_name_is_keras_3s():
    assert optimizers.SGD().name == "sgd"


@pytest.mark.parametrize("momentum", [-0.1, 1.5, "0.9", None, True])
def test_sgd_rejects_momentum_outside_0_1(momentum):
    with pytest.raises(ValueError, match="momentum"):
        optimizers.SGD(momentum=momentum)
