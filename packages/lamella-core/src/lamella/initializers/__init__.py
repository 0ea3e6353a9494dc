"""Weight initializers, by class or by name (``'glorot_uniform'``, ``'he_normal'``, ...).

The Keras 2 lowercase names are the classes themselves, so both
``initializers.glorot_normal(seed=1)`` and ``initializers.GlorotNormal(seed=1)`` work.
"""

from lamella.initializers.constant_initializers import Constant, Identity, Ones, Zeros
from lamella.initializers.initializer import Initializer, compute_fans
from lamella.initializers.random_initializers import (
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
)
from lamella.initializers.variance_scaling import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    VarianceScaling,
)
from lamella.saving import serialization

# Keras names: the 15 initializers of the seed tutorials and their aliases.
ALL_INITIALIZERS = {
    cls.__name__: cls
    for cls in (
        Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal,
        VarianceScaling, GlorotNormal, GlorotUniform, HeNormal, HeUniform,
        LecunNormal, LecunUniform, Orthogonal, Identity,
    )
}
ALIASES = {
    "zeros": Zeros, "ones": Ones, "constant": Constant,
    "random_normal": RandomNormal, "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
    "glorot_normal": GlorotNormal, "glorot_uniform": GlorotUniform,
    "he_normal": HeNormal, "he_uniform": HeUniform,
    "lecun_normal": LecunNormal, "lecun_uniform": LecunUniform,
    "orthogonal": Orthogonal, "identity": Identity,
    "OrthogonalInitializer": Orthogonal, "IdentityInitializer": Identity,
    "zero": Zeros, "one": Ones, "normal": RandomNormal, "uniform": RandomUniform,
}
# Every alias is also an attribute, as Keras exports ``initializers.he_normal`` and
# ``initializers.OrthogonalInitializer``.
globals().update(ALIASES)

__all__ = sorted(
    [*ALL_INITIALIZERS, *ALIASES,
     "Initializer", "compute_fans", "get", "serialize", "deserialize"]
)


def serialize(initializer):
    return serialization.serialize_object(initializer, kind="initializers")


def deserialize(config, custom_objects=None):
    found = serialization.deserialize_object(config, kind="initializers", custom_objects=custom_objects)
    return found() if isinstance(found, type) else found


def get(identifier):
    """An initializer from a name, a config, an instance or a callable.

    ``None`` returns ``None`` (the caller picks its default).
    """
    if identifier is None:
        return None
    if isinstance(identifier, str | dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    # ValueError, as Keras raises for an identifier it cannot interpret.
    raise ValueError(
        "An initializer is a name, a config dict, an Initializer or a callable "
        f"(shape, dtype) -> array. Received: initializer={identifier!r}"
    )
