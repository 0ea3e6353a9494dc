"""The optimizer base class (lamella-core) through the lamella-optimizers catalogue:
clipping, weight decay, schedules, constraints, the stateless form, look-up by name,
serialization and argument errors."""

import warnings

import jax
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lamella
from lamella import optimizers

# Keras's own Variable.numpy() (called by its get_config) trips a numpy 2 warning.
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

NAMES = ("SGD", "Adam", "AdamW", "Adamax", "Nadam", "RMSprop", "Adagrad", "Adadelta", "Ftrl", "Lion", "Lamb", "Adafactor")


# -- look-up and serialization --------------------------------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "identifier, cls",
    [("adam", "Adam"), ("Adam", "Adam"), ("sgd", "SGD"), ("SGD", "SGD"),
     ("rmsprop", "RMSprop"), ("RMSprop", "RMSprop"), ("adagrad", "Adagrad"), ("Adagrad", "Adagrad"),
     ("adamw", "AdamW"), ("adamax", "Adamax"), ("nadam", "Nadam"), ("adadelta", "Adadelta"),
     ("ftrl", "Ftrl"), ("lion", "Lion"), ("adafactor", "Adafactor")],
)
def test_get_by_name_gives_a_fresh_instance_like_keras(keras, identifier, cls):
    optimizer = optimizers.get(identifier)
    assert type(optimizer) is getattr(optimizers, cls)
    assert optimizers.get(identifier) is not optimizer
    assert type(keras.optimizers.get(identifier)).__name__ == cls
    defaults = getattr(keras.optimizers, cls)().get_config()
    for key, value in optimizer.get_config().items():
        if key != "name":
            assert defaults[key] == pytest.approx(value), key


def test_every_lower_case_name_resolves():
    # Keras 3's get() does not know Lamb; lamella registers every optimizer, lower case too.
    for name in NAMES:
        assert type(optimizers.get(name.lower())).__name__ == name


def test_get_passes_an_optimizer_through_and_rejects_other_things():
    optimizer = optimizers.Adam()
    assert optimizers.get(optimizer) is optimizer
    with pytest.raises(ValueError, match="Could not interpret optimizer"):
        optimizers.get(3)
    with pytest.raises(ValueError, match="adamm"):
        optimizers.get("adamm")


@pytest.mark.parametrize("name", NAMES)
def test_serialize_deserialize_round_trip(name):
    optimizer = getattr(optimizers, name)(learning_rate=0.05, clipnorm=2.0, name="mine")
    config = optimizers.serialize(optimizer)
    assert config["class_name"] == name
    assert config["registered_by"]["distribution"] == "lamella-optimizers"
    clone = optimizers.deserialize(config)
    assert type(clone) is type(optimizer)
    assert clone.get_config() == optimizer.get_config()
    assert optimizers.get(config).get_config() == optimizer.get_config()


@pytest.mark.keras_parity
@pytest.mark.parametrize("name", NAMES)
def test_a_keras_3_config_loads_with_the_same_options(keras, name):
    keras_optimizer = getattr(keras.optimizers, name)(learning_rate=0.25, clipvalue=0.5, weight_decay=0.01)
    keras_config = keras_optimizer.get_config()
    optimizer = getattr(optimizers, name).from_config(keras_config)
    config = optimizer.get_config()
    assert set(config) <= set(keras_config)
    for key, value in config.items():
        assert keras_config[key] == pytest.approx(value) if isinstance(value, float) else keras_config[key] == value
    loaded = optimizers.deserialize({"class_name": name, "config": keras_config})
    assert loaded.get_config() == config


# -- the stateless form ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, options",
    [("SGD", {"momentum": 0.9, "nesterov": True}), ("Adam", {"amsgrad": True, "weight_decay": 0.1}),
     ("RMSprop", {"centered": True, "momentum": 0.3}), ("Adagrad", {"clipnorm": 0.3})],
)
def test_stateless_apply_equals_eager_apply_and_leaves_variables_alone(helpers, name, options):
    weights, gradients = helpers.make_problem(seed=5, steps=4)
    eager = helpers.run_lamella(getattr(optimizers, name)(learning_rate=0.05, **options), weights, gradients)

    optimizer = getattr(optimizers, name)(learning_rate=0.05, **options)
    variables = [lamella.Variable(w.copy()) for w in weights]
    optimizer.build(variables)
    values = [v.value for v in variables]
    state = [v.value for v in optimizer.variables]
    for grads in gradients:  # unjitted here: the jitted form is checked by check_parity
        values, state = optimizer.stateless_apply(state, grads, values)
    helpers.assert_weights_close([np.asarray(v) for v in values], eager)
    assert int(state[0]) == len(gradients)  # the iteration count is the first variable
    for variable, weight in zip(variables, weights):
        np.testing.assert_array_equal(variable.numpy(), weight)
    assert int(optimizer.iterations.numpy()) == 0


def test_stateless_apply_needs_a_built_optimizer_and_matching_lengths():
    optimizer = optimizers.SGD(momentum=0.5)
    with pytest.raises(ValueError, match="build"):
        optimizer.stateless_apply([], [np.zeros(2)], [np.zeros(2)])
    variables = [lamella.Variable(np.zeros(2, np.float32))]
    optimizer.build(variables)
    state = [v.value for v in optimizer.variables]
    with pytest.raises(ValueError, match="optimizer_values"):
        optimizer.stateless_apply(state[:-1], [np.zeros(2)], [np.zeros(2)])
    with pytest.raises(ValueError, match="trainable_values"):
        optimizer.stateless_apply(state, [np.zeros(2)], [np.zeros(2), np.zeros(2)])


# -- clipping, weight decay, schedules, constraints -----------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize("option", ["clipnorm", "clipvalue", "global_clipnorm"])
def test_clipping_of_zero_means_no_clipping_as_in_keras(helpers, keras, option):
    weights, gradients = helpers.make_problem(seed=1, steps=3)
    expected = helpers.run_keras(keras, keras.optimizers.SGD(learning_rate=0.1, **{option: 0.0}), weights, gradients)
    actual = helpers.run_lamella(optimizers.SGD(learning_rate=0.1, **{option: 0.0}), weights, gradients)
    helpers.assert_weights_close(actual, expected)
    unclipped = helpers.run_lamella(optimizers.SGD(learning_rate=0.1), weights, gradients)
    helpers.assert_weights_close(actual, unclipped)


@pytest.mark.keras_parity
@pytest.mark.parametrize("option", ["clipnorm", "global_clipnorm"])
def test_norm_clipping_of_zero_gradients_matches_keras(helpers, keras, option):
    weights, _ = helpers.make_problem(seed=2, steps=0)
    zeros = [[np.zeros_like(w) for w in weights]]
    expected = helpers.run_keras(keras, keras.optimizers.Adam(**{option: 1.0}), weights, zeros)
    actual = helpers.run_lamella(optimizers.Adam(**{option: 1.0}), weights, zeros)
    helpers.assert_weights_close(actual, expected)
    assert all(np.isfinite(a).all() for a in actual)


@pytest.mark.keras_parity
def test_global_clipnorm_turns_an_infinite_gradient_into_nan_like_keras(helpers, keras):
    weights = [np.ones(2, np.float32), np.ones(3, np.float32)]
    gradients = [[np.array([np.inf, 1.0], np.float32), np.ones(3, np.float32)]]
    expected = helpers.run_keras(keras, keras.optimizers.SGD(global_clipnorm=1.0), weights, gradients)
    actual = helpers.run_lamella(optimizers.SGD(global_clipnorm=1.0), weights, gradients)
    for a, e in zip(actual, expected):
        np.testing.assert_array_equal(np.isnan(a), np.isnan(e))
    assert np.isnan(actual[1]).all()


@settings(max_examples=6, deadline=None)
@given(
    gradient=hnp.arrays(np.float32, hnp.array_shapes(min_dims=1, max_dims=2, max_side=3),
                        elements=st.floats(-100, 100, width=32)),
    clip=st.floats(0.01, 10.0),
)
def test_clipnorm_bounds_each_gradient_norm_and_keeps_its_direction(gradient, clip):
    optimizer = optimizers.SGD(learning_rate=1.0, clipnorm=clip)
    variable = lamella.Variable(np.zeros_like(gradient))
    optimizer.apply([gradient], [variable])
    step = -variable.numpy()
    norm = np.linalg.norm(gradient)
    # Loose tolerances: float32 norms and quotients against float64 references,
    # over gradients up to 100 in size.
    np.testing.assert_allclose(np.linalg.norm(step), min(norm, clip), rtol=1e-5, atol=1e-6)
    if norm > 0:
        np.testing.assert_allclose(step * norm, gradient * np.linalg.norm(step), rtol=1e-4, atol=1e-4)


@settings(max_examples=6, deadline=None)
@given(
    shapes=st.lists(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3), min_size=1, max_size=3),
    clip=st.floats(0.01, 10.0),
    seed=st.integers(0, 2**16),
)
def test_global_clipnorm_bounds_the_joint_norm(shapes, clip, seed):
    rng = np.random.default_rng(seed)
    gradients = [rng.normal(scale=3.0, size=s).astype(np.float32) for s in shapes]
    variables = [lamella.Variable(np.zeros(s, np.float32)) for s in shapes]
    optimizers.SGD(learning_rate=1.0, global_clipnorm=clip).apply(gradients, variables)
    joint = np.sqrt(sum(np.sum(np.square(g.astype(np.float64))) for g in gradients))
    scale = min(1.0, clip / joint) if joint > 0 else 1.0  # float64: rtol 1e-5 below
    for g, v in zip(gradients, variables):
        np.testing.assert_allclose(-v.numpy(), g * scale, rtol=1e-5, atol=1e-6)


@pytest.mark.keras_parity
@settings(max_examples=4, deadline=None)
@given(
    shapes=st.lists(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3), min_size=1, max_size=3),
    name=st.sampled_from(NAMES),
    seed=st.integers(0, 2**16),
)
def test_every_optimizer_matches_keras_for_any_weight_shapes(helpers, shapes, name, seed):
    import keras

    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=s).astype(np.float32) for s in shapes]
    gradients = [[rng.normal(size=s).astype(np.float32) for s in shapes] for _ in range(3)]
    expected = helpers.run_keras(keras, getattr(keras.optimizers, name)(learning_rate=0.05, weight_decay=0.1), weights, gradients)
    actual = helpers.run_lamella(getattr(optimizers, name)(learning_rate=0.05, weight_decay=0.1), weights, gradients)
    helpers.assert_weights_close(actual, expected)


def test_weight_decay_is_decoupled_and_applied_before_the_step():
    variable = lamella.Variable(np.array([2.0], np.float32))
    optimizers.SGD(learning_rate=0.1, weight_decay=0.5).apply([np.array([1.0], np.float32)], [variable])
    # w - lr * wd * w, then - lr * g
    np.testing.assert_allclose(variable.numpy(), [2.0 - 0.1 * 0.5 * 2.0 - 0.1], rtol=1e-6)


@pytest.mark.keras_parity
def test_constraints_apply_after_the_update_like_keras(keras):
    weights = [np.array([0.05, 1.0, -1.0], np.float32)]
    gradients = [[np.array([1.0, -1.0, 1.0], np.float32)]] * 2
    keras_variable = keras.Variable(weights[0].copy())
    keras_variable.constraint = keras.constraints.NonNeg()  # its constructor drops it
    keras_optimizer = keras.optimizers.SGD(learning_rate=0.1)
    for grads in gradients:
        keras_optimizer.apply(grads, [keras_variable])
    variable = lamella.Variable(weights[0].copy(), constraint=lamella.constraints.NonNeg())
    optimizer = optimizers.SGD(learning_rate=0.1)
    for grads in gradients:
        optimizer.apply(grads, [variable])
    np.testing.assert_allclose(variable.numpy(), np.asarray(keras_variable.value), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(variable.numpy(), [0.0, 1.2, 0.0], atol=1e-6)


@pytest.mark.keras_parity
def test_plain_callable_learning_rate_is_called_without_arguments_like_keras(helpers, keras):
    weights, gradients = helpers.make_problem(seed=4, steps=3)
    expected = helpers.run_keras(keras, keras.optimizers.Adam(learning_rate=lambda: 0.02), weights, gradients)
    actual = helpers.run_lamella(optimizers.Adam(learning_rate=lambda: 0.02), weights, gradients)
    helpers.assert_weights_close(actual, expected)


def test_schedule_learning_rate_receives_the_iteration_count():
    seen = []

    def schedule(step):
        seen.append(int(step))
        return 0.1 / (1.0 + step)

    variable = lamella.Variable(np.zeros(1, np.float32))
    optimizer = optimizers.SGD(learning_rate=schedule)
    for _ in range(3):
        optimizer.apply([np.ones(1, np.float32)], [variable])
    np.testing.assert_allclose(variable.numpy(), [-(0.1 + 0.05 + 0.1 / 3)], rtol=1e-6)
    assert seen == [0, 1, 2]
    np.testing.assert_allclose(optimizer.learning_rate, 0.1 / 4, rtol=1e-6)
    with pytest.raises(TypeError, match="schedule"):
        optimizer.learning_rate = 0.5


def test_assigning_the_learning_rate_changes_the_next_steps():
    variable = lamella.Variable(np.zeros(1, np.float32))
    optimizer = optimizers.SGD(learning_rate=0.1)
    optimizer.apply([np.ones(1, np.float32)], [variable])
    optimizer.learning_rate = 0.5
    optimizer.apply([np.ones(1, np.float32)], [variable])
    np.testing.assert_allclose(variable.numpy(), [-0.6], rtol=1e-6)
    assert optimizer.get_config()["learning_rate"] == pytest.approx(0.5)


# -- the eager API -----------------------------------------------------------------------


def test_apply_gradients_takes_pairs_and_returns_the_iteration_count():
    a = lamella.Variable(np.ones(2, np.float32))
    b = lamella.Variable(np.ones(3, np.float32))
    optimizer = optimizers.SGD(learning_rate=0.5)
    iterations = optimizer.apply_gradients([(np.ones(2, np.float32), a), (np.full(3, 2.0, np.float32), b)])
    assert int(iterations.numpy()) == 1
    np.testing.assert_allclose(a.numpy(), [0.5, 0.5])
    np.testing.assert_allclose(b.numpy(), [0.0, 0.0, 0.0])


def test_apply_without_variables_uses_the_built_ones_and_needs_a_build():
    optimizer = optimizers.SGD(learning_rate=1.0)
    with pytest.raises(ValueError, match="built"):
        optimizer.apply([np.ones(2, np.float32)])
    variable = lamella.Variable(np.zeros(2, np.float32))
    optimizer.build([variable])
    optimizer.apply([np.ones(2, np.float32)])
    np.testing.assert_allclose(variable.numpy(), [-1.0, -1.0])


def test_apply_refuses_variables_it_was_not_built_for_and_wrong_counts():
    optimizer = optimizers.Adam()
    known = lamella.Variable(np.zeros(2, np.float32), name="known")
    optimizer.apply([np.ones(2, np.float32)], [known])
    stranger = lamella.Variable(np.zeros(2, np.float32), name="stranger")
    with pytest.raises(ValueError, match="stranger"):
        optimizer.apply([np.ones(2, np.float32)], [stranger])
    with pytest.raises(ValueError, match="2 gradients for 1 variables"):
        optimizer.apply([np.ones(2, np.float32)] * 2, [known])


def test_apply_of_no_gradients_is_a_no_op():
    optimizer = optimizers.SGD()
    optimizer.apply([], [])
    assert int(optimizer.iterations.numpy()) == 0


@pytest.mark.keras_parity
def test_a_missing_gradient_leaves_its_variable_alone_with_a_warning_like_keras(keras):
    weights = [np.ones(2, np.float32), np.ones(3, np.float32)]
    gradients = [np.full(2, 0.5, np.float32), None]
    keras_variables = [keras.Variable(w.copy()) for w in weights]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        keras.optimizers.Adam(learning_rate=0.1).apply(gradients, keras_variables)
    variables = [lamella.Variable(w.copy(), name=f"w{i}") for i, w in enumerate(weights)]
    optimizer = optimizers.Adam(learning_rate=0.1)
    with pytest.warns(UserWarning, match="no gradient"):
        optimizer.apply(gradients, variables)
    for variable, keras_variable in zip(variables, keras_variables):
        np.testing.assert_allclose(variable.numpy(), np.asarray(keras_variable.value), rtol=1e-6)
    np.testing.assert_array_equal(variables[1].numpy(), weights[1])
    with pytest.raises(ValueError, match="no gradient for any variable"):
        optimizer.apply([None, None], variables)


def test_slots_are_named_after_their_variable_and_paths_are_unique():
    optimizer = optimizers.Adam(amsgrad=True)
    variables = [lamella.Variable(np.zeros(2, np.float32), name="kernel"), lamella.Variable(np.zeros(1, np.float32), name="bias")]
    optimizer.build(variables)
    names = [v.path for v in optimizer.variables]
    assert names[:2] == ["adam/iteration", "adam/learning_rate"]
    assert len(names) == 2 + 3 * 2 and len(set(names)) == len(names)
    assert any("kernel" in n and "velocity_hat" in n for n in names)


def test_default_names_follow_keras_3():
    # Keras 3.15's names of the first instance of each class.
    assert [getattr(optimizers, n)().name for n in NAMES] == [
        "sgd", "adam", "adam_w", "adamax", "nadam", "rmsprop", "adagrad", "adadelta", "ftrl", "lion",
        "lamb", "adafactor",
    ]


# -- argument errors --------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "argument, value",
    [("learning_rate", -0.1), ("learning_rate", "fast"), ("learning_rate", None),
     ("weight_decay", -1.0), ("clipnorm", -1.0), ("clipvalue", "1"), ("global_clipnorm", -2.0)],
)
def test_invalid_arguments_raise_value_errors_naming_them(name, argument, value):
    with pytest.raises(ValueError, match=argument):
        getattr(optimizers, name)(**{argument: value})


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "options",
    [{"clipnorm": 1.0, "clipvalue": 1.0}, {"clipnorm": 1.0, "global_clipnorm": 1.0},
     {"clipvalue": 1.0, "global_clipnorm": 1.0}],
)
def test_only_one_clipping_argument_is_accepted_like_keras(keras, options):
    with pytest.raises(ValueError, match="only one of clipnorm, clipvalue and global_clipnorm"):
        optimizers.SGD(**options)
    with pytest.raises(ValueError):
        keras.optimizers.SGD(**options)


def test_unknown_arguments_are_value_errors_like_keras():
    with pytest.raises(ValueError, match="lerning_rate"):
        optimizers.Adam(lerning_rate=0.1)


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "name, args",
    [("SGD", (0.1, 0.9, True, 0.01, 1.0)), ("Adam", (0.1, 0.8, 0.9, 1e-5, True, 0.01, None, 0.5)),
     ("RMSprop", (0.1, 0.8, 0.1, 1e-5, True, 0.01, None, None, 2.0)), ("Adagrad", (0.1, 0.2, 1e-5, 0.01, 3.0))],
)
def test_positional_arguments_mean_what_they_mean_in_keras(keras, name, args):
    config = getattr(optimizers, name)(*args).get_config()
    keras_config = getattr(keras.optimizers, name)(*args).get_config()
    for key, value in config.items():
        if key != "name":
            assert keras_config[key] == pytest.approx(value) if isinstance(value, float) else keras_config[key] == value, key


def test_numpy_numbers_are_accepted():
    optimizer = optimizers.SGD(learning_rate=np.float32(0.5), momentum=np.float64(0.5), clipnorm=np.float32(1.0))
    assert optimizer.get_config()["learning_rate"] == pytest.approx(0.5)


def test_optimizer_runs_inside_jit_with_a_schedule(helpers):
    weights, gradients = helpers.make_problem(seed=6, steps=3)
    schedule = lambda step: 0.1 * 0.5 ** step  # noqa: E731
    stateless, _ = helpers.run_lamella_stateless(optimizers.SGD(learning_rate=schedule, momentum=0.5), weights, gradients)
    eager = helpers.run_lamella(optimizers.SGD(learning_rate=schedule, momentum=0.5), weights, gradients)
    helpers.assert_weights_close(stateless, eager)
    assert jax.numpy.isfinite(stateless[0]).all()


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "name, options",
    [("SGD", {"momentum": 0.9}), ("Adam", {"amsgrad": True}), ("RMSprop", {"momentum": 0.5, "centered": True}),
     ("Adagrad", {})],
)
def test_optimizer_variables_line_up_with_keras_index_by_index(keras, name, options):
    # Keras saves optimizer state by position: the same order lets it be loaded.
    shapes = [(2,), (3, 1)]
    keras_optimizer = getattr(keras.optimizers, name)(name="opt", **options)
    keras_optimizer.build([keras.Variable(np.zeros(s, np.float32), name=n) for s, n in zip(shapes, "ab")])
    optimizer = getattr(optimizers, name)(name="opt", **options)
    optimizer.build([lamella.Variable(np.zeros(s, np.float32), name=n) for s, n in zip(shapes, "ab")])
    assert [v.path for v in optimizer.variables] == [v.path for v in keras_optimizer.variables]
    assert [v.shape for v in optimizer.variables] == [tuple(v.shape) for v in keras_optimizer.variables]
