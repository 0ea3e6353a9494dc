"""Learning-rate schedules against Keras 3: their values over steps (eager and
jitted), ten optimizer steps following them, configs and errors."""

import jax
import numpy as np
import pytest

from lamella import optimizers
from lamella.optimizers import schedules

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

SCHEDULES = [
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 4, "decay_rate": 0.5}),
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 4, "decay_rate": 0.5, "staircase": True}),
    ("PiecewiseConstantDecay", {"boundaries": [3, 7], "values": [0.1, 0.05, 0.01]}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 8}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 5, "end_learning_rate": 0.01, "power": 2.0, "cycle": True}),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.7}),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.7, "staircase": True}),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 8}),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 8, "alpha": 0.2}),
    ("CosineDecay", {"initial_learning_rate": 0.0, "decay_steps": 6, "warmup_target": 0.2, "warmup_steps": 4}),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 3}),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 3, "t_mul": 1.0, "m_mul": 0.5, "alpha": 0.1}),
]
IDS = [f"{name}-{i}" for i, (name, _) in enumerate(SCHEDULES)]
STEPS = np.arange(0, 25, dtype=np.int32)


@pytest.mark.keras_parity
@pytest.mark.parametrize("name, options", SCHEDULES, ids=IDS)
def test_schedule_values_match_keras(keras, name, options):
    ours = getattr(schedules, name)(**options)
    theirs = getattr(keras.optimizers.schedules, name)(**options)
    expected = np.array([float(theirs(int(step))) for step in STEPS])
    values = jax.jit(jax.vmap(ours))(STEPS)  # traced steps, as inside a training step
    np.testing.assert_allclose(values, expected, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(float(ours(7)), expected[7], rtol=1e-5, atol=1e-7)


@pytest.mark.keras_parity
@pytest.mark.parametrize("name, options", SCHEDULES[::3], ids=IDS[::3])
def test_optimizer_following_a_schedule_matches_keras(keras, helpers, name, options):
    weights, gradients = helpers.make_problem(seed=11, steps=10)
    expected = helpers.run_keras(
        keras, keras.optimizers.Adam(learning_rate=getattr(keras.optimizers.schedules, name)(**options)), weights, gradients
    )
    actual = helpers.run_lamella(optimizers.Adam(learning_rate=getattr(schedules, name)(**options)), weights, gradients)
    helpers.assert_weights_close(actual, expected)
    stateless, _ = helpers.run_lamella_stateless(optimizers.Adam(learning_rate=getattr(schedules, name)(**options)), weights, gradients)
    helpers.assert_weights_close(stateless, actual)


def test_cosine_decay_warms_up_linearly_then_decays():
    schedule = schedules.CosineDecay(0.0, decay_steps=10, warmup_target=1.0, warmup_steps=4)
    np.testing.assert_allclose([float(schedule(s)) for s in (0, 2, 4, 9, 14, 99)],
                               [0.0, 0.5, 1.0, 0.5 * (1 + np.cos(np.pi * 0.5)), 0.0, 0.0], atol=1e-6)


@pytest.mark.keras_parity
@pytest.mark.parametrize("name, options", SCHEDULES, ids=IDS)
def test_schedule_config_round_trips_and_matches_keras(keras, name, options):
    schedule = getattr(schedules, name)(**options)
    config = schedule.get_config()
    assert config == getattr(keras.optimizers.schedules, name)(**options).get_config()
    clone = schedules.deserialize(schedules.serialize(schedule))
    assert type(clone) is type(schedule) and clone.get_config() == config
    assert schedules.serialize(schedule)["registered_by"]["distribution"] == "lamella-optimizers"


def test_optimizer_config_carries_its_schedule():
    optimizer = optimizers.SGD(learning_rate=schedules.ExponentialDecay(0.1, 10, 0.9), momentum=0.5)
    config = optimizers.serialize(optimizer)
    clone = optimizers.deserialize(config)
    assert isinstance(clone._schedule, schedules.ExponentialDecay)
    assert clone.get_config() == optimizer.get_config()
    with pytest.raises(TypeError, match="schedule"):
        clone.learning_rate = 0.5


def test_a_user_function_of_the_step_is_a_schedule(helpers):
    weights, gradients = helpers.make_problem(seed=12, steps=4)
    by_function = helpers.run_lamella(optimizers.SGD(learning_rate=lambda step: 0.1 * 0.5**step), weights, gradients)
    by_class = helpers.run_lamella(optimizers.SGD(learning_rate=schedules.ExponentialDecay(0.1, 1, 0.5)), weights, gradients)
    helpers.assert_weights_close(by_function, by_class)


def test_a_custom_schedule_subclass_serializes_through_custom_objects():
    import lamella

    class Halving(schedules.LearningRateSchedule):
        def __init__(self, rate):
            self.rate = rate

        def __call__(self, step):
            return self.rate * 0.5 ** (step // 2)

        def get_config(self):
            return {"rate": self.rate}

    config = optimizers.serialize(optimizers.SGD(learning_rate=Halving(0.4)))
    with lamella.utils.custom_object_scope({"Halving": Halving}):
        clone = optimizers.deserialize(config)
    np.testing.assert_allclose(float(clone._schedule(5)), 0.1)


def test_the_base_class_names_what_is_missing():
    with pytest.raises(NotImplementedError, match="__call__"):
        schedules.LearningRateSchedule()(0)
    with pytest.raises(NotImplementedError, match="get_config"):
        schedules.LearningRateSchedule().get_config()


@pytest.mark.parametrize(
    "call, message",
    [(lambda: schedules.ExponentialDecay(0.1, 0, 0.5), "decay_steps=0"),
     (lambda: schedules.PolynomialDecay(0.1, -1), "decay_steps=-1"),
     (lambda: schedules.InverseTimeDecay(0.1, 0, 0.5), "decay_steps=0"),
     (lambda: schedules.CosineDecay(0.1, 0), "decay_steps=0"),
     (lambda: schedules.CosineDecay(0.1, 5, warmup_target=0.2), "warmup_steps=0"),
     (lambda: schedules.CosineDecayRestarts(0.1, 0), "first_decay_steps=0"),
     (lambda: schedules.PiecewiseConstantDecay([1, 2], [0.1]), "one more value"),
     (lambda: schedules.PiecewiseConstantDecay([5, 2], [0.1, 0.2, 0.3]), "increasing")],
)
def test_invalid_schedules_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()
