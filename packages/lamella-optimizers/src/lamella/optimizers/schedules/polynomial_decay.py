"""``PolynomialDecay``: a polynomial ramp from one rate to another."""

import jax.numpy as jnp

from lamella.optimizers.schedules.learning_rate_schedule import LearningRateSchedule, as_float, check_positive_steps


class PolynomialDecay(LearningRateSchedule):
    """``(initial - end) * (1 - step / decay_steps) ** power + end``, then ``end``
    from ``decay_steps`` on; with ``cycle`` the ramp restarts with ``decay_steps``
    stretched to the next multiple above the step.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the length of the ramp (positive).
        end_learning_rate: the rate at its end.
        power: the exponent (1: linear).
        cycle: restart the ramp instead of staying at ``end_learning_rate``.
        name: the schedule's name.
    """

    def __init__(
        self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False,
        name="PolynomialDecay",
    ):
        check_positive_steps("PolynomialDecay", "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        step = as_float(step)
        decay_steps = jnp.float32(self.decay_steps)
        if self.cycle:
            multiplier = jnp.where(step == 0, 1.0, jnp.ceil(step / decay_steps))
            decay_steps = decay_steps * multiplier
        else:
            step = jnp.minimum(step, decay_steps)
        initial, end = jnp.float32(self.initial_learning_rate), jnp.float32(self.end_learning_rate)
        return (initial - end) * jnp.power(1 - step / decay_steps, jnp.float32(self.power)) + end

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate, "power": self.power, "cycle": self.cycle,
            "name": self.name,
        }
