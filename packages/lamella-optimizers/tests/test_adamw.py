"""AdamW against Keras 3: decoupled weight decay on by default, exclusions."""

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
        {"learning_rate": 0.05, "weight_decay": 0.1},
        {"learning_rate": 0.05, "weight_decay": 0.0, "amsgrad": True},
        {"learning_rate": 0.05, "beta_1": 0.5, "clipnorm": 0.5},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults",
)
def test_adamw_matches_keras_after_1_and_10_steps(check_parity, options):
    check_parity("AdamW", **options)


def test_adamw_is_adam_plus_decay(helpers):
    weights, gradients = helpers.make_problem(seed=2, steps=4)
    adamw = helpers.run_lamella(optimizers.AdamW(learning_rate=0.05, weight_decay=0.3), weights, gradients)
    adam = helpers.run_lamella(optimizers.Adam(learning_rate=0.05, weight_decay=0.3), weights, gradients)
    helpers.assert_weights_close(adamw, adam)


@pytest.mark.keras_parity
def test_excluded_variables_do_not_decay_like_keras(keras, helpers):
    import lamella

    weights, gradients = helpers.make_problem(seed=3, steps=3)
    names = ["kernel", "bias", "gamma"]
    keras_variables = [keras.Variable(w.copy(), name=n) for w, n in zip(weights, names)]
    keras_optimizer = keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
    keras_optimizer.exclude_from_weight_decay(var_list=[keras_variables[2]], var_names=["bias"])
    variables = [lamella.Variable(w.copy(), name=n) for w, n in zip(weights, names)]
    optimizer = optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
    optimizer.exclude_from_weight_decay(var_list=[variables[2]], var_names=["bias"])
    for grads in gradients:
        keras_optimizer.apply(grads, keras_variables)
        optimizer.apply(grads, variables)
    helpers.assert_weights_close([v.numpy() for v in variables], [np.asarray(v.value) for v in keras_variables])
    undecayed = helpers.run_lamella(optimizers.Adam(learning_rate=0.1), weights, gradients)
    helpers.assert_weights_close([v.numpy() for v in variables][1:], undecayed[1:])
    with pytest.raises(ValueError, match="before the optimizer is built"):
        optimizer.exclude_from_weight_decay(var_names=["kernel"])


def test_adamw_needs_a_weight_decay():
    with pytest.raises(ValueError, match="weight_decay=None"):
        optimizers.AdamW(weight_decay=None)


@pytest.mark.keras_parity
def test_adamw_config_round_trip(keras, helpers):
    helpers.check_config(keras, "AdamW", {"weight_decay": 0.02, "amsgrad": True}, ("weight_decay", "amsgrad", "beta_1"))
