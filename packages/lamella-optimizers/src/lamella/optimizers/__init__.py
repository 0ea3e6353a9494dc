"""``lamella.optimizers``: optimizers and learning-rate schedules (distribution
lamella-optimizers).

``Optimizer`` is lamella-core's base class, re-exported here; ``schedules`` holds
the learning-rate schedules.
"""

from lamella.optimizers import schedules
from lamella.optimizers._version import __version__
from lamella.optimizers.adadelta import Adadelta
from lamella.optimizers.adafactor import Adafactor
from lamella.optimizers.adagrad import Adagrad
from lamella.optimizers.adam import Adam
from lamella.optimizers.adamax import Adamax
from lamella.optimizers.adamw import AdamW
from lamella.optimizers.ftrl import Ftrl
from lamella.optimizers.lamb import Lamb
from lamella.optimizers.lion import Lion
from lamella.optimizers.loss_scale_optimizer import LossScaleOptimizer
from lamella.optimizers.nadam import Nadam
from lamella.optimizers.rmsprop import RMSprop
from lamella.optimizers.sgd import SGD
from lamella.saving import serialization
from lamella.training.optimizer import Optimizer

OPTIMIZERS = (
    SGD, Adam, AdamW, Adamax, Nadam, RMSprop, Adagrad, Adadelta, Ftrl, Lion, Lamb, Adafactor,
    LossScaleOptimizer,
)
# The lower-case names Keras accepts in compile(optimizer=...).
ALIASES = {
    "sgd": SGD, "adam": Adam, "adamw": AdamW, "adamax": Adamax, "nadam": Nadam, "rmsprop": RMSprop,
    "adagrad": Adagrad, "adadelta": Adadelta, "ftrl": Ftrl, "lion": Lion, "lamb": Lamb,
    "adafactor": Adafactor,
}

__all__ = [
    "Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl", "Lamb", "Lion",
    "LossScaleOptimizer", "Nadam", "Optimizer", "RMSprop", "SGD", "__version__", "deserialize",
    "get", "schedules", "serialize",
]


def serialize(optimizer):
    return serialization.serialize_object(optimizer, kind="optimizers")


def deserialize(config, custom_objects=None):
    found = serialization.deserialize_object(config, kind="optimizers", custom_objects=custom_objects)
    return found() if isinstance(found, type) else found


def get(identifier):
    """An optimizer from a name (``'adam'``), a config or an ``Optimizer``."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str | dict):
        return deserialize(identifier)
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}")
