"""Weight regularizers, by class or by name (``'l1'``, ``'l2'``, ``'l1_l2'``)."""

from lamella.regularizers.regularizers import L1, L1L2, L2, OrthogonalRegularizer, Regularizer
from lamella.saving import serialization

# Keras 2 spelled these as lowercase functions; the classes take the same arguments.
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

ALL_REGULARIZERS = {cls.__name__: cls for cls in (L1, L2, L1L2, OrthogonalRegularizer)}
ALIASES = {"l1": L1, "l2": L2, "l1_l2": L1L2, "orthogonal_regularizer": OrthogonalRegularizer}

__all__ = [
    "L1", "L1L2", "L2", "OrthogonalRegularizer", "Regularizer", "deserialize", "get",
    "l1", "l1_l2", "l2", "orthogonal_regularizer", "serialize",
]


def serialize(regularizer):
    return serialization.serialize_object(regularizer, kind="regularizers")


def deserialize(config, custom_objects=None):
    found = serialization.deserialize_object(config, kind="regularizers", custom_objects=custom_objects)
    return found() if isinstance(found, type) else found


def get(identifier):
    """A regularizer from a name, a config, an instance or a callable; ``None`` stays ``None``."""
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
        "A regularizer is a name, a config dict or a callable of a weight. "
        f"Received: regularizer={identifier!r}"
    )
