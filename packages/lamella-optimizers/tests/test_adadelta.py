"""Adadelta against Keras 3 and the paper's recurrences."""

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
        {"learning_rate": 1.0},
        {"learning_rate": 0.5, "rho": 0.5},
        {"learning_rate": 1.0, "epsilon": 1e-3, "clipvalue": 0.5},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults",
)
def test_adadelta_matches_keras_after_1_and_10_steps(check_parity, options):
    check_parity("Adadelta", **options)


def test_adadelta_first_step_formula():
    import lamella

    # a = (1 - rho) g**2, d = -sqrt(eps) / sqrt(a + eps) * g
    variable = lamella.Variable(np.zeros(1, np.float32))
    optimizers.Adadelta(learning_rate=1.0, rho=0.9, epsilon=1e-2).apply([np.array([2.0], np.float32)], [variable])
    a = 0.1 * 4.0
    np.testing.assert_allclose(variable.numpy(), [-np.sqrt(1e-2) / np.sqrt(a + 1e-2) * 2.0], rtol=1e-5)


@pytest.mark.keras_parity
def test_adadelta_config_round_trip(keras, helpers):
    helpers.check_config(keras, "Adadelta", {"rho": 0.8, "epsilon": 1e-5}, ("rho", "epsilon"))
