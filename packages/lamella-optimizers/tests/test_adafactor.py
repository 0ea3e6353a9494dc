"""Adafactor against Keras 3: factored second moments for matrices, full ones
for vectors, relative steps and clipping."""

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
        {"learning_rate": 0.5, "relative_step": False},
        {"learning_rate": 0.1, "beta_2_decay": -0.5, "epsilon_2": 1e-2, "clip_threshold": 0.5},
        {"learning_rate": 0.1, "weight_decay": 0.1},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults",
)
def test_adafactor_matches_keras_after_1_and_10_steps(check_parity, options):
    check_parity("Adafactor", **options)


def test_adafactor_keeps_factored_moments_for_matrices():
    import lamella

    optimizer = optimizers.Adafactor()
    optimizer.build([lamella.Variable(np.zeros((4, 5), np.float32)), lamella.Variable(np.zeros(3, np.float32))])
    assert optimizer.rows[0].shape == (4,) and optimizer.columns[0].shape == (5,)
    assert optimizer.rows[1].shape == () and optimizer.velocities[1].shape == (3,)


@pytest.mark.keras_parity
def test_adafactor_variables_line_up_with_keras(keras):
    import lamella

    shapes = [(3,), (2, 4)]
    keras_optimizer = keras.optimizers.Adafactor()
    keras_optimizer.build([keras.Variable(np.zeros(s, np.float32)) for s in shapes])
    optimizer = optimizers.Adafactor()
    optimizer.build([lamella.Variable(np.zeros(s, np.float32)) for s in shapes])
    assert [(v.shape, str(v.dtype)) for v in optimizer.variables] == [(tuple(v.shape), str(v.dtype)) for v in keras_optimizer.variables]


def test_adafactor_rejects_a_non_negative_decay():
    with pytest.raises(ValueError, match="beta_2_decay=0.5"):
        optimizers.Adafactor(beta_2_decay=0.5)


@pytest.mark.keras_parity
def test_adafactor_config_round_trip(keras, helpers):
    helpers.check_config(keras, "Adafactor", {"beta_2_decay": -0.6, "epsilon_1": 1e-20, "epsilon_2": 1e-2, "clip_threshold": 2.0, "relative_step": False}, ("beta_2_decay", "epsilon_1", "epsilon_2", "clip_threshold", "relative_step"))
