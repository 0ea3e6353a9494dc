"""The features every optimizer has from the base class, against Keras 3 where
Keras has them: moving averages of the weights, gradient accumulation, a static
loss scale; Keras 2's lr= and decay=; restoring the state by assignment."""

import jax
import numpy as np
import pytest

import lamella
from lamella import optimizers

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


# -- moving averages (use_ema) --------------------------------------------------------------


def _run_with_averages_keras(keras, optimizer, weights, gradients):
    variables = [keras.Variable(w.copy()) for w in weights]
    for grads in gradients:
        optimizer.apply(grads, variables)
    weights_now = [np.asarray(v.value) for v in variables]
    optimizer.finalize_variable_values(variables)
    return weights_now, [np.asarray(v.value) for v in variables]


def _run_with_averages(optimizer, weights, gradients):
    variables = [lamella.Variable(w.copy()) for w in weights]
    for grads in gradients:
        optimizer.apply(grads, variables)
    weights_now = [v.numpy() for v in variables]
    optimizer.finalize_variable_values(variables)
    return weights_now, [v.numpy() for v in variables]


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "name, options",
    [("SGD", {"momentum": 0.5, "use_ema": True}),
     ("Adam", {"use_ema": True, "ema_momentum": 0.5}),
     ("Adam", {"use_ema": True, "ema_momentum": 0.8, "ema_overwrite_frequency": 3})],
)
def test_moving_averages_match_keras(keras, helpers, check_parity, name, options):
    check_parity(name, learning_rate=0.1, **options)  # the weights, with overwrites
    weights, gradients = helpers.make_problem(seed=4, steps=5)
    expected = _run_with_averages_keras(keras, getattr(keras.optimizers, name)(learning_rate=0.1, **options), weights, gradients)
    actual = _run_with_averages(getattr(optimizers, name)(learning_rate=0.1, **options), weights, gradients)
    for ours, theirs in zip(actual, expected):
        helpers.assert_weights_close(ours, theirs)


def test_the_average_follows_its_recurrence(helpers):
    weights, gradients = helpers.make_problem(seed=5, steps=4, shapes=((2,),))
    optimizer = optimizers.SGD(learning_rate=0.1, use_ema=True, ema_momentum=0.6)
    variable = lamella.Variable(weights[0].copy())
    w, average = weights[0].astype(np.float64), None
    for (g,) in gradients:
        optimizer.apply([g], [variable])
        w = w - 0.1 * g
        average = w if average is None else 0.6 * average + 0.4 * w  # the first step copies
    np.testing.assert_allclose(optimizer._averages[0].numpy(), average, rtol=1e-5)


# -- gradient accumulation ------------------------------------------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "name, options",
    [("SGD", {"momentum": 0.9, "gradient_accumulation_steps": 2}),
     ("Adam", {"gradient_accumulation_steps": 3, "clipnorm": 0.5}),
     ("RMSprop", {"gradient_accumulation_steps": 2, "weight_decay": 0.1}),
     ("Adam", {"gradient_accumulation_steps": 2, "use_ema": True, "ema_momentum": 0.7})],
)
def test_gradient_accumulation_matches_keras(check_parity, name, options):
    check_parity(name, learning_rate=0.05, steps=9, **options)


def test_accumulation_updates_with_the_mean_every_n_calls(helpers):
    weights, gradients = helpers.make_problem(seed=6, steps=6, shapes=((3,),))
    optimizer = optimizers.SGD(learning_rate=0.1, gradient_accumulation_steps=3)
    variable = lamella.Variable(weights[0].copy())
    seen = []
    for (g,) in gradients:
        optimizer.apply([g], [variable])
        seen.append(variable.numpy())
    first = weights[0] - 0.1 * np.mean([g for (g,) in gradients[:3]], axis=0)
    second = first - 0.1 * np.mean([g for (g,) in gradients[3:]], axis=0)
    for index, expected in ((0, weights[0]), (1, weights[0]), (2, first), (4, first), (5, second)):
        np.testing.assert_allclose(seen[index], expected, rtol=1e-5, atol=1e-6)
    assert int(np.asarray(optimizer.iterations)) == 2  # updates, not calls


# -- loss scaling ------------------------------------------------------------------------------


@pytest.mark.keras_parity
def test_static_loss_scale_unscales_gradients_like_keras(keras, check_parity):
    check_parity("Adam", learning_rate=0.1, loss_scale_factor=128.0, scale=128.0)
    assert float(optimizers.SGD(loss_scale_factor=8.0).scale_loss(np.float32(0.5))) == 4.0
    assert float(keras.optimizers.SGD(loss_scale_factor=8.0).scale_loss(0.5)) == 4.0


# -- Keras 2 arguments -------------------------------------------------------------------------


def test_lr_is_the_keras_2_name_of_learning_rate():
    with pytest.warns(DeprecationWarning, match="lr"):
        optimizer = optimizers.Adam(lr=0.25)
    assert optimizer.get_config()["learning_rate"] == 0.25


def test_decay_divides_the_rate_by_1_plus_decay_times_the_updates(helpers):
    weights, gradients = helpers.make_problem(seed=7, steps=4, shapes=((2,),))
    optimizer = optimizers.SGD(learning_rate=0.1, decay=0.5)
    actual = helpers.run_lamella(optimizer, weights, gradients)
    expected = weights[0] - sum(0.1 / (1 + 0.5 * t) * g for t, (g,) in enumerate(gradients))
    np.testing.assert_allclose(actual[0], expected, rtol=1e-5)
    np.testing.assert_allclose(optimizer.learning_rate, 0.1 / (1 + 0.5 * 4), rtol=1e-6)
    schedule = optimizers.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5)
    helpers.assert_weights_close(actual, helpers.run_lamella(optimizers.SGD(learning_rate=schedule), weights, gradients))
    config = optimizer.get_config()
    assert config["decay"] == 0.5 and optimizers.SGD.from_config(config).decay == 0.5
    assert "decay" not in optimizers.SGD().get_config()  # so Keras 3 reads lamella's configs


def test_a_keras_2_config_with_decay_0_loads():
    optimizer = optimizers.Adam.from_config({"name": "Adam", "learning_rate": 0.001, "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False})
    assert optimizer.decay is None


# -- argument errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argument, value",
    [("ema_momentum", 1.5), ("ema_overwrite_frequency", 0), ("ema_overwrite_frequency", 2.5),
     ("gradient_accumulation_steps", 1), ("gradient_accumulation_steps", True), ("loss_scale_factor", 0.0),
     ("loss_scale_factor", "big"), ("decay", -0.1)],
)
def test_invalid_base_arguments_name_themselves(argument, value):
    with pytest.raises(ValueError, match=argument):
        optimizers.SGD(**{argument: value})


# -- state: restored by assignment, round trips ---------------------------------------------------


@pytest.mark.parametrize(
    "name, options",
    [("Adam", {"amsgrad": True, "use_ema": True}), ("Nadam", {}), ("Adafactor", {}),
     ("SGD", {"momentum": 0.9, "gradient_accumulation_steps": 2}), ("Ftrl", {"l1_regularization_strength": 0.01})],
)
def test_state_restored_by_assignment_continues_identically(helpers, name, options):
    weights, gradients = helpers.make_problem(seed=8, steps=6, shapes=((3,), (2, 3)))
    straight = helpers.run_lamella(getattr(optimizers, name)(learning_rate=0.05, **options), weights, gradients)

    first = getattr(optimizers, name)(learning_rate=0.05, **options)
    variables = [lamella.Variable(w.copy()) for w in weights]
    for grads in gradients[:3]:
        first.apply(grads, variables)
    store = {}
    first.save_own_variables(store)
    checkpoint = [v.numpy() for v in variables]

    # A new optimizer from the config, its state assigned: as if restored from a save.
    second = getattr(optimizers, name).from_config(first.get_config())
    restored = [lamella.Variable(w) for w in checkpoint]
    second.build(restored)
    second.load_own_variables(store)
    for grads in gradients[3:]:
        second.apply(grads, restored)
    helpers.assert_weights_close([v.numpy() for v in restored], straight)


def test_set_weights_checks_count_and_shapes():
    optimizer = optimizers.Adam()
    with pytest.raises(ValueError, match="built"):
        optimizer.set_weights([])
    optimizer.build([lamella.Variable(np.zeros(2, np.float32))])
    with pytest.raises(ValueError, match="expected 4 arrays"):
        optimizer.set_weights([np.zeros(())])
    state = [v.numpy() for v in optimizer.variables]
    state[2] = np.zeros(3, np.float32)
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        optimizer.set_weights(state)
    np.testing.assert_array_equal(optimizer.variables[2].numpy(), np.zeros(2))


def test_every_feature_runs_inside_jit(helpers):
    weights, gradients = helpers.make_problem(seed=9, steps=6)
    options = {"learning_rate": 0.05, "use_ema": True, "ema_overwrite_frequency": 2, "gradient_accumulation_steps": 2,
               "loss_scale_factor": 4.0, "weight_decay": 0.1, "global_clipnorm": 1.0, "decay": 0.1}
    eager = helpers.run_lamella(optimizers.Adam(**options), weights, gradients)
    stateless, _ = helpers.run_lamella_stateless(optimizers.Adam(**options), weights, gradients)
    helpers.assert_weights_close(stateless, eager)
    assert jax.numpy.isfinite(stateless[0]).all()
