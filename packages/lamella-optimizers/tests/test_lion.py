"""Lion against Keras 3: sign steps of an interpolated momentum."""

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
        {"learning_rate": 0.01},
        {"learning_rate": 0.01, "beta_1": 0.5, "beta_2": 0.9},
        {"learning_rate": 0.01, "weight_decay": 0.5},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults",
)
def test_lion_matches_keras_after_1_and_10_steps(check_parity, options):
    check_parity("Lion", **options)


def test_lion_steps_are_learning_rate_sized():
    import lamella

    variable = lamella.Variable(np.zeros(3, np.float32))
    optimizers.Lion(learning_rate=0.01).apply([np.array([5.0, -1e-3, 0.0], np.float32)], [variable])
    np.testing.assert_allclose(variable.numpy(), [-0.01, 0.01, 0.0], rtol=1e-6)


@pytest.mark.keras_parity
def test_lion_refuses_beta_1_of_zero_like_keras(keras):
    with pytest.raises(ValueError, match="beta_1"):
        optimizers.Lion(beta_1=0.0)
    with pytest.raises(ValueError):
        keras.optimizers.Lion(beta_1=0.0)


@pytest.mark.keras_parity
def test_lion_config_round_trip(keras, helpers):
    helpers.check_config(keras, "Lion", {"beta_1": 0.8, "beta_2": 0.95}, ("beta_1", "beta_2"))
