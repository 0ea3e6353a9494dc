"""Lamb against Keras 3: Adam directions rescaled by the trust ratio."""

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
        {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3},
        {"learning_rate": 0.05, "weight_decay": 0.1},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults",
)
def test_lamb_matches_keras_after_1_and_10_steps(check_parity, options):
    check_parity("Lamb", **options)


def test_lamb_step_norm_is_learning_rate_times_weight_norm():
    import lamella

    w = np.array([3.0, 4.0], np.float32)  # norm 5
    variable = lamella.Variable(w.copy())
    optimizers.Lamb(learning_rate=0.1, epsilon=0.0).apply([np.array([1.0, -2.0], np.float32)], [variable])
    np.testing.assert_allclose(np.linalg.norm(variable.numpy() - w), 0.1 * 5.0, rtol=1e-5)


def test_lamb_zero_weights_take_a_plain_adam_sized_step():
    import lamella

    variable = lamella.Variable(np.zeros(2, np.float32))
    optimizers.Lamb(learning_rate=0.1, epsilon=0.0).apply([np.array([1.0, -2.0], np.float32)], [variable])
    # rtol 1e-5: float32 bias corrections.
    np.testing.assert_allclose(variable.numpy(), [-0.1, 0.1], rtol=1e-5)


@pytest.mark.keras_parity
def test_lamb_config_round_trip(keras, helpers):
    helpers.check_config(keras, "Lamb", {"beta_1": 0.8, "beta_2": 0.9, "epsilon": 1e-5}, ("beta_1", "beta_2", "epsilon"))
