"""``ExponentialDecay``: a rate multiplied by ``decay_rate`` every ``decay_steps``."""

import jax.numpy as jnp

from lamella.optimizers.schedules.learning_rate_schedule import LearningRateSchedule, as_float, check_positive_steps


class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)``; with
    ``staircase`` the exponent is rounded down, so the rate drops in steps.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: steps per factor of ``decay_rate`` (positive).
        decay_rate: the factor.
        staircase: decay at whole multiples of ``decay_steps`` only.
        name: the schedule's name.

    Example:
        >>> SGD(learning_rate=ExponentialDecay(0.1, decay_steps=1000, decay_rate=0.96))
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="ExponentialDecay"):
        check_positive_steps("ExponentialDecay", "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        p = as_float(step) / jnp.float32(self.decay_steps)
        if self.staircase:
            p = jnp.floor(p)
        return jnp.float32(self.initial_learning_rate) * jnp.power(jnp.float32(self.decay_rate), p)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name,
        }
