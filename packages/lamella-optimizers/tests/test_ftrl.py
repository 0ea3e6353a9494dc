"""Ftrl against Keras 3: L1 and L2 regularization, shrinkage, beta, and the
exact zeros of L1."""

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
        {"learning_rate": 0.1, "l1_regularization_strength": 0.05},
        {"learning_rate": 0.1, "l2_regularization_strength": 0.2, "beta": 0.5},
        {"learning_rate": 0.1, "l2_shrinkage_regularization_strength": 0.1, "learning_rate_power": -0.3, "initial_accumulator_value": 0.5},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults",
)
def test_ftrl_matches_keras_after_1_and_10_steps(check_parity, options):
    check_parity("Ftrl", **options)


def test_strong_l1_makes_weights_exactly_zero(helpers):
    weights, gradients = helpers.make_problem(seed=1, steps=3, scale=0.1)
    final = helpers.run_lamella(optimizers.Ftrl(learning_rate=0.1, l1_regularization_strength=10.0), weights, gradients)
    for array in final:
        np.testing.assert_array_equal(array, 0.0)


@pytest.mark.parametrize(
    "argument, value",
    [("learning_rate_power", 0.5), ("initial_accumulator_value", -0.1), ("l1_regularization_strength", -1.0),
     ("l2_regularization_strength", -1.0), ("l2_shrinkage_regularization_strength", -1.0)],
)
def test_ftrl_rejects_invalid_hyper_parameters(argument, value):
    with pytest.raises(ValueError, match=argument):
        optimizers.Ftrl(**{argument: value})


@pytest.mark.keras_parity
def test_ftrl_config_round_trip(keras, helpers):
    helpers.check_config(keras, "Ftrl", {"learning_rate_power": -0.3, "initial_accumulator_value": 0.2, "l1_regularization_strength": 0.1, "l2_regularization_strength": 0.2, "l2_shrinkage_regularization_strength": 0.3, "beta": 0.4}, ("learning_rate_power", "initial_accumulator_value", "l1_regularization_strength", "l2_regularization_strength", "l2_shrinkage_regularization_strength", "beta"))
