"""Weight constraints, by class or by name (``'MaxNorm'``, ``'max_norm'``, ...)."""

from lamella.constraints.constraints import Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm
from lamella.saving import serialization

max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

ALL_CONSTRAINTS = {cls.__name__: cls for cls in (MaxNorm, MinMaxNorm, NonNeg, UnitNorm)}
ALIASES = {"max_norm": MaxNorm, "min_max_norm": MinMaxNorm, "non_neg": NonNeg, "unit_norm": UnitNorm}

__all__ = [
    "Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "deserialize", "get",
    "max_norm", "min_max_norm", "non_neg", "serialize", "unit_norm",
]


def serialize(constraint):
    return serialization.serialize_object(constraint, kind="constraints")


def deserialize(config, custom_objects=None):
    found = serialization.deserialize_object(config, kind="constraints", custom_objects=custom_objects)
    return found() if isinstance(found, type) else found


def get(identifier):
    """A constraint from a name (``'MaxNorm'``), a config, an instance or a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, str | dict):
        return deserialize(identifier)
    if isinstance(identifier, type):
        # A class, as Keras accepts it: its default instance.
        return identifier()
    if callable(identifier):
        return identifier
    # ValueError, as Keras raises for an identifier it cannot interpret.
    raise ValueError(
        "A constraint is a name, a config dict or a callable of a weight. "
        f"Received: constraint={identifier!r}"
    )
