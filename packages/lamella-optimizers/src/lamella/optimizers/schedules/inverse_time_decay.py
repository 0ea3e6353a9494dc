"""``InverseTimeDecay``: a rate divided by ``1 + decay_rate * step / decay_steps``."""

import jax.numpy as jnp

from lamella.optimizers.schedules.learning_rate_schedule import LearningRateSchedule, as_float, check_positive_steps


class InverseTimeDecay(LearningRateSchedule):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)``; with
    ``staircase`` the quotient ``step / decay_steps`` is rounded down. (Keras 2's
    ``decay=d`` argument is ``InverseTimeDecay(lr, 1, d)``.)

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the step unit of the decay (positive).
        decay_rate: the decay per unit.
        staircase: decay at whole multiples of ``decay_steps`` only.
        name: the schedule's name.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="InverseTimeDecay"):
        check_positive_steps("InverseTimeDecay", "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        p = as_float(step) / jnp.float32(self.decay_steps)
        if self.staircase:
            p = jnp.floor(p)
        return jnp.float32(self.initial_learning_rate) / (1.0 + jnp.float32(self.decay_rate) * p)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name,
        }
