"""Models: ``Model``, ``Sequential`` and rebuilding models from their configs."""

import json

from lamella.engine.functional import Functional
from lamella.engine.model import Model
from lamella.engine.sequential import Sequential

__all__ = [
    "Functional", "Model", "Sequential", "load_model", "model_from_config",
    "model_from_json", "save_model",
]


def model_from_config(config, custom_objects=None, safe_mode=True):
    """Rebuilds a model (fresh weights) from ``{'class_name': ..., 'config': ...}``.

    Configs written by Keras 3 or Keras 2 are read too (classes by name through the
    registries; modules named in them are never imported). A ``Lambda`` holding
    Python bytecode is refused unless its function is in ``custom_objects`` or
    ``safe_mode=False``.
    """
    from lamella.saving import keras_config, safe_mode as safety, serialization
    from lamella.saving.object_registration import custom_object_scope

    if not isinstance(config, dict):
        raise ValueError(
            "model_from_config expects a dict {'class_name': ..., 'config': ...}. "
            f"Received: {type(config).__name__}"
        )
    config = safety.check_config(keras_config.from_keras(config), custom_objects, safe_mode)
    with custom_object_scope(custom_objects or {}), safety.safe_mode_scope(safe_mode):
        return serialization.deserialize_object(config, kind="layers", custom_objects=custom_objects)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):  # noqa: A002
    """Loads a model saved by lamella, Keras 3 (``.keras``) or Keras 2 (``.h5``);
    see ``lamella.saving.load_model``."""
    from lamella.saving import saving_api

    return saving_api.load_model(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)


def save_model(model, filepath, overwrite=True, include_optimizer=True):
    """Saves a whole model; see ``lamella.saving.save_model``."""
    from lamella.saving import saving_api

    saving_api.save_model(model, filepath, overwrite=overwrite, include_optimizer=include_optimizer)


def model_from_json(json_string, custom_objects=None):
    """Rebuilds a model (fresh weights) from the JSON of ``model.to_json()`` (lamella's
    or Keras's)."""
    try:
        config = json.loads(json_string)
    except (TypeError, ValueError) as error:
        raise ValueError(f"model_from_json received invalid JSON: {error}") from None
    return model_from_config(config, custom_objects=custom_objects)
