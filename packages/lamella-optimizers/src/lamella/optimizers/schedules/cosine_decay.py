"""``CosineDecay``: a half cosine from the rate down to ``alpha`` times it, after an
optional linear warmup."""

import math

import jax.numpy as jnp

from lamella.optimizers.schedules.learning_rate_schedule import LearningRateSchedule, as_float, check_positive_steps


def cosine_factor(fraction, alpha):
    """``(1 - alpha) * 0.5 * (1 + cos(pi * fraction)) + alpha``."""
    return (1 - alpha) * 0.5 * (1.0 + jnp.cos(jnp.float32(math.pi) * fraction)) + alpha


class CosineDecay(LearningRateSchedule):
    """Cosine decay (Loshchilov & Hutter, 2016), with an optional linear warmup.

    Without warmup: ``rate * cosine_factor(min(step, decay_steps) / decay_steps)``
    where the factor falls from 1 to ``alpha``. With ``warmup_target``, the rate
    first rises linearly from ``initial_learning_rate`` to ``warmup_target`` over
    ``warmup_steps``, then decays from ``warmup_target`` over ``decay_steps``.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the length of the decay (positive).
        alpha: the final rate as a fraction of the decayed-from rate.
        name: the schedule's name.
        warmup_target: the rate the warmup reaches (``None``: no warmup).
        warmup_steps: the length of the warmup.

    Example:
        >>> CosineDecay(0.0, decay_steps=9000, warmup_target=0.1, warmup_steps=1000)
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay", warmup_target=None, warmup_steps=0):
        check_positive_steps("CosineDecay", "decay_steps", decay_steps)
        if warmup_target is not None and warmup_steps <= 0:
            raise ValueError(
                "CosineDecay expected positive warmup_steps with a warmup_target. "
                f"Received: warmup_steps={warmup_steps!r}"
            )
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        step = as_float(step)
        initial = jnp.float32(self.initial_learning_rate)
        decay_steps = jnp.float32(self.decay_steps)
        if self.warmup_target is None:
            return initial * cosine_factor(jnp.minimum(step, decay_steps) / decay_steps, self.alpha)
        target = jnp.float32(self.warmup_target)
        warmup_steps = jnp.float32(self.warmup_steps)
        step = jnp.minimum(step, decay_steps + warmup_steps)
        warming = (target - initial) * (step / warmup_steps) + initial
        decaying = target * cosine_factor((step - warmup_steps) / decay_steps, self.alpha)
        return jnp.where(step < warmup_steps, warming, decaying)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
            "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }
