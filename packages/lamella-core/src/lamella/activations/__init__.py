"""Activation functions, and ``get`` / ``serialize`` / ``deserialize`` by name."""

from lamella.activations.activations import *  # noqa: F403 - the public functions
from lamella.activations.activations import ALIASES, ALL_ACTIVATIONS, linear
from lamella.saving import serialization

__all__ = sorted([*ALL_ACTIVATIONS, *ALIASES, "get", "serialize", "deserialize"])


def serialize(activation):
    """The name of a registered activation (or a config for a callable object)."""
    return serialization.serialize_object(activation, kind="activations")


def deserialize(config, custom_objects=None):
    """The activation named by ``config``.

    Besides a name, accepts Keras's dict form of a function,
    ``{"class_name": "function", "config": "relu", ...}``.
    """
    if isinstance(config, dict) and config.get("class_name") == "function":
        config = config.get("config")
    return serialization.deserialize_object(config, kind="activations", custom_objects=custom_objects)


def get(identifier):
    """An activation function from a name, a config, a callable or ``None`` (linear).

    Raises ``ValueError`` listing the registered names for an unknown string.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str | dict):
        found = deserialize(identifier)
        if isinstance(found, type):
            found = found()
        return found
    if callable(identifier):
        return identifier
    # ValueError, as Keras raises for an identifier it cannot interpret.
    raise ValueError(
        "An activation is a name, a config dict or a callable. "
        f"Received: activation={identifier!r}"
    )
