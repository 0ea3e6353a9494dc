"""``PiecewiseConstantDecay``: constant rates between step boundaries."""

import jax.numpy as jnp

from lamella.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` up to and including step ``boundaries[0]``, ``values[1]`` up to
    ``boundaries[1]``, ..., ``values[-1]`` after the last boundary.

    Args:
        boundaries: increasing step numbers.
        values: one more rate than boundaries.
        name: the schedule's name.

    Example:
        >>> PiecewiseConstantDecay(boundaries=[1000, 2000], values=[0.1, 0.01, 0.001])
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        boundaries, values = list(boundaries), list(values)
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "PiecewiseConstantDecay expected one more value than boundaries. "
                f"Received: boundaries={boundaries} ({len(boundaries)}), values={values} ({len(values)})"
            )
        if any(later <= earlier for earlier, later in zip(boundaries, boundaries[1:])):
            raise ValueError(f"PiecewiseConstantDecay expected increasing boundaries. Received: boundaries={boundaries}")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = jnp.asarray(step)
        # The number of boundaries the step has passed picks the value (a gather,
        # no branch on the traced step).
        passed = sum((step > jnp.asarray(b, step.dtype)).astype(jnp.int32) for b in self.boundaries)
        return jnp.asarray(self.values, jnp.float32)[passed]

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}
