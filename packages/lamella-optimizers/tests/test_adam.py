"""Adam (and AMSGrad) against Keras 3 and the bias-corrected formula."""

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
        {"learning_rate": 0.1, "amsgrad": True},
        {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.9},
        {"learning_rate": 0.05, "beta_1": 0.0, "beta_2": 0.0},
        {"learning_rate": 0.05, "epsilon": 1e-2},
        {"learning_rate": 0.05, "epsilon": 0.0},
        {"learning_rate": 0.05, "weight_decay": 0.2},
        {"learning_rate": 0.05, "amsgrad": True, "clipnorm": 0.5},
        {"learning_rate": 0.05, "clipvalue": 0.1},
        {"learning_rate": 0.05, "global_clipnorm": 0.7},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults",
)
def test_adam_matches_keras_after_1_and_10_steps(check_parity, options):
    check_parity("Adam", **options)


@pytest.mark.keras_parity
def test_amsgrad_matches_keras_when_gradients_shrink(check_parity):
    # Shrinking gradients make the running maximum of v differ from v itself, the
    # only case where AMSGrad changes anything.
    check_parity("Adam", learning_rate=0.1, amsgrad=True, steps=10, scale=1.0, seed=3)


def test_adam_first_step_is_learning_rate_times_sign():
    import lamella

    # After one step m_hat = g and v_hat = g**2, so the step is lr * g / (|g| + eps).
    variable = lamella.Variable(np.array([1.0, 1.0, 1.0], np.float32))
    g = np.array([0.5, -2.0, 1e-3], np.float32)
    optimizers.Adam(learning_rate=0.1, epsilon=0.0).apply([g], [variable])
    # rtol 1e-5: the float32 bias corrections sqrt(1 - b2) / (1 - b1) are not exact.
    np.testing.assert_allclose(variable.numpy(), 1.0 - 0.1 * np.sign(g), rtol=1e-5)


def test_adam_slots_follow_the_moment_recurrences():
    import lamella

    variable = lamella.Variable(np.zeros(2, np.float32))
    optimizer = optimizers.Adam(learning_rate=0.01, beta_1=0.8, beta_2=0.9, amsgrad=True)
    m = v = v_hat = np.zeros(2)
    for g in ([1.0, -1.0], [0.1, 0.2], [0.05, -3.0]):
        g = np.asarray(g, np.float32)
        optimizer.apply([g], [variable])
        m = 0.8 * m + 0.2 * g
        v = 0.9 * v + 0.1 * g**2
        v_hat = np.maximum(v_hat, v)
    np.testing.assert_allclose(optimizer.momentums[0].numpy(), m, rtol=1e-6)
    np.testing.assert_allclose(optimizer.velocities[0].numpy(), v, rtol=1e-6)
    np.testing.assert_allclose(optimizer.velocity_hats[0].numpy(), v_hat, rtol=1e-6)
    assert int(optimizer.iterations.numpy()) == 3


@pytest.mark.keras_parity
def test_adam_config_round_trip(keras):
    optimizer = optimizers.Adam(learning_rate=0.003, beta_1=0.8, beta_2=0.95, epsilon=1e-5, amsgrad=True, weight_decay=0.01)
    config = optimizer.get_config()
    clone = optimizers.Adam.from_config(config)
    assert clone.get_config() == config
    assert (clone.beta_1, clone.beta_2, clone.epsilon, clone.amsgrad) == (0.8, 0.95, 1e-5, True)
    keras_config = keras.optimizers.Adam.from_config(config).get_config()
    for key in ("learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad", "weight_decay"):
        assert keras_config[key] == pytest.approx(config[key])


@pytest.mark.parametrize(
    "argument, value",
    [("beta_1", 1.5), ("beta_1", -0.1), ("beta_2", 2.0), ("epsilon", -1e-7), ("beta_1", "0.9")],
)
def test_adam_rejects_invalid_hyper_parameters(argument, value):
    with pytest.raises(ValueError, match=argument):
        optimizers.Adam(**{argument: value})
