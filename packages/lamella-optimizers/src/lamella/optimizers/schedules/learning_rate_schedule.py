"""``LearningRateSchedule``: the base of learning-rate schedules."""

import numbers

import jax.numpy as jnp


def check_positive_steps(owner, name, value):
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{owner} expected a positive number for {name}. Received: {name}={value!r}")


def as_float(step):
    """The step (a Python number, an int32 array or a tracer) as float32."""
    return jnp.asarray(step).astype(jnp.float32)


class LearningRateSchedule:
    """A learning rate as a function of the optimizer's iteration count.

    Subclasses implement ``__call__(step)`` with ``jax.numpy`` operations (the step
    is a traced integer inside the compiled training step: no Python ``if`` on it)
    and ``get_config``. Pass an instance as an optimizer's ``learning_rate``; it is
    serialized with the optimizer's config.

    Example:
        >>> class Halving(LearningRateSchedule):
        ...     def __init__(self, rate):
        ...         self.rate = rate
        ...     def __call__(self, step):
        ...         return self.rate * 0.5 ** (step // 100)
        ...     def get_config(self):
        ...         return {"rate": self.rate}
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule {type(self).__name__} must implement __call__(step)."
        )

    def get_config(self):
        raise NotImplementedError(
            f"Learning rate schedule {type(self).__name__} must implement get_config() "
            "to be serializable."
        )

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} {self.get_config()}>"
