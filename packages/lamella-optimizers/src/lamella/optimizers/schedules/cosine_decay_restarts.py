"""``CosineDecayRestarts``: cosine decay that restarts, each period longer (SGDR)."""

import jax.numpy as jnp

from lamella.optimizers.schedules.learning_rate_schedule import LearningRateSchedule, as_float, check_positive_steps


class CosineDecayRestarts(LearningRateSchedule):
    """SGDR (Loshchilov & Hutter, 2016): cosine decay over ``first_decay_steps``,
    then restarts, the ``i``-th period ``t_mul**i`` times as long and starting at
    ``m_mul**i`` times the initial rate.

    Args:
        initial_learning_rate: the rate at step 0.
        first_decay_steps: the length of the first period (positive).
        t_mul: the growth of the period lengths.
        m_mul: the factor on the rate at each restart.
        alpha: the lowest rate of a period, as a fraction of its starting rate.
        name: the schedule's name.
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name="SGDRDecay"):
        check_positive_steps("CosineDecayRestarts", "first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self.t_mul = t_mul
        self.m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        fraction = as_float(step) / jnp.float32(self.first_decay_steps)
        t_mul = jnp.float32(self.t_mul)
        if self.t_mul == 1.0:
            restart = jnp.floor(fraction)
            fraction = fraction - restart
        else:
            # The periods' lengths are a geometric series: the restart index is
            # where its partial sum passes the step.
            restart = jnp.floor(jnp.log(1.0 - fraction * (1.0 - t_mul)) / jnp.log(t_mul))
            done = (1.0 - jnp.power(t_mul, restart)) / (1.0 - t_mul)
            fraction = (fraction - done) / jnp.power(t_mul, restart)
        scale = jnp.power(jnp.float32(self.m_mul), restart)
        alpha = jnp.float32(self.alpha)
        decayed = (1 - alpha) * scale * 0.5 * (1.0 + jnp.cos(jnp.float32(jnp.pi) * fraction)) + alpha
        return jnp.float32(self.initial_learning_rate) * decayed

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate, "first_decay_steps": self.first_decay_steps,
            "t_mul": self.t_mul, "m_mul": self.m_mul, "alpha": self.alpha, "name": self.name,
        }
