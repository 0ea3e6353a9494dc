"""Nadam against Keras 3, including its running product of momentum factors."""

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
        {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.9},
        {"learning_rate": 0.05, "global_clipnorm": 0.5, "weight_decay": 0.05},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults",
)
def test_nadam_matches_keras_after_1_and_10_steps(check_parity, options):
    check_parity("Nadam", **options)


def test_nadam_momentum_product_advances_once_per_step():
    import lamella

    variables = [lamella.Variable(np.zeros(2, np.float32)), lamella.Variable(np.zeros(3, np.float32))]
    optimizer = optimizers.Nadam(beta_1=0.9)
    for _ in range(3):
        optimizer.apply([np.ones(2, np.float32), np.ones(3, np.float32)], variables)
    expected = np.prod([0.9 * (1 - 0.5 * 0.96**t) for t in (1, 2, 3)])
    np.testing.assert_allclose(optimizer.u_product.numpy(), expected, rtol=1e-6)


@pytest.mark.keras_parity
def test_nadam_config_round_trip(keras, helpers):
    helpers.check_config(keras, "Nadam", {"beta_1": 0.8, "beta_2": 0.9, "epsilon": 1e-5}, ("beta_1", "beta_2", "epsilon"))
