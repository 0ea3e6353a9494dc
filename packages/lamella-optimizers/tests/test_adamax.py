"""Adamax against Keras 3 and its infinity-norm recurrence."""

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
        {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.8},
        {"learning_rate": 0.05, "epsilon": 1e-3, "weight_decay": 0.1},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults",
)
def test_adamax_matches_keras_after_1_and_10_steps(check_parity, options):
    check_parity("Adamax", **options)


def test_adamax_norm_is_the_decayed_running_maximum():
    import lamella

    variable = lamella.Variable(np.zeros(2, np.float32))
    optimizer = optimizers.Adamax(beta_2=0.5)
    u = np.zeros(2)
    for g in ([1.0, -4.0], [3.0, 0.5], [0.1, 0.1]):
        optimizer.apply([np.asarray(g, np.float32)], [variable])
        u = np.maximum(0.5 * u, np.abs(g))
    np.testing.assert_allclose(optimizer.norms[0].numpy(), u, rtol=1e-6)


@pytest.mark.parametrize("argument, value", [("beta_1", 1.1), ("beta_2", -0.5), ("epsilon", -1.0)])
def test_adamax_rejects_invalid_hyper_parameters(argument, value):
    with pytest.raises(ValueError, match=argument):
        optimizers.Adamax(**{argument: value})


@pytest.mark.keras_parity
def test_adamax_config_round_trip(keras, helpers):
    helpers.check_config(keras, "Adamax", {"beta_1": 0.8, "beta_2": 0.9, "epsilon": 1e-5}, ("beta_1", "beta_2", "epsilon"))
