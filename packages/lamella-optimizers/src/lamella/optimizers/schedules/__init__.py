"""``lamella.optimizers.schedules``: learning rates as functions of the step.

Pass a schedule as an optimizer's ``learning_rate``; any callable of the step works
too (``lambda step: 0.1 * 0.9 ** (step // 100)``), as does one without arguments.
Schedules are registered by name (kind ``'schedules'``) and serialize with the
optimizer.
"""

from lamella.optimizers.schedules.cosine_decay import CosineDecay
from lamella.optimizers.schedules.cosine_decay_restarts import CosineDecayRestarts
from lamella.optimizers.schedules.exponential_decay import ExponentialDecay
from lamella.optimizers.schedules.inverse_time_decay import InverseTimeDecay
from lamella.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from lamella.optimizers.schedules.piecewise_constant_decay import PiecewiseConstantDecay
from lamella.optimizers.schedules.polynomial_decay import PolynomialDecay
from lamella.saving import serialization

SCHEDULES = (
    ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay,
    CosineDecayRestarts, LearningRateSchedule,
)

__all__ = [
    "CosineDecay", "CosineDecayRestarts", "ExponentialDecay", "InverseTimeDecay",
    "LearningRateSchedule", "PiecewiseConstantDecay", "PolynomialDecay", "deserialize", "serialize",
]


def serialize(schedule):
    return serialization.serialize_object(schedule, kind="schedules")


def deserialize(config, custom_objects=None):
    return serialization.deserialize_object(config, kind="schedules", custom_objects=custom_objects)
