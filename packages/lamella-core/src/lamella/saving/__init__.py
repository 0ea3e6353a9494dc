"""Saving and loading models and weights; serialization; custom objects.

``lamella.saving`` has the names of ``keras.saving``: ``save_model``,
``load_model``, ``save_weights``, ``load_weights``, ``register_keras_serializable``,
``custom_object_scope``, ``serialize_keras_object``, ... Names resolve lazily, so
that modules which only need ``saving.serialization`` do not import the file
formats (and h5py).
"""

import importlib

_ATTRIBUTES = {
    "save_model": "lamella.saving.saving_api",
    "load_model": "lamella.saving.saving_api",
    "save_weights": "lamella.saving.saving_api",
    "load_weights": "lamella.saving.saving_api",
    "register_serializable": "lamella.saving.object_registration",
    "register_keras_serializable": "lamella.saving.object_registration",
    "get_custom_objects": "lamella.saving.object_registration",
    "get_registered_name": "lamella.saving.object_registration",
    "get_registered_object": "lamella.saving.object_registration",
    "custom_object_scope": "lamella.saving.object_registration",
    "CustomObjectScope": "lamella.saving.object_registration",
    "serialize_object": "lamella.saving.serialization",
    "deserialize_object": "lamella.saving.serialization",
    "serialize_keras_object": "lamella.saving.serialization",
    "deserialize_keras_object": "lamella.saving.serialization",
    "serialize_function": "lamella.saving.safe_mode",
    "deserialize_function": "lamella.saving.safe_mode",
    "safe_mode_scope": "lamella.saving.safe_mode",
    "in_safe_mode": "lamella.saving.safe_mode",
    "UnsafeConfigError": "lamella.saving.safe_mode",
    "ModelFileError": "lamella.saving.model_file",
    "WeightsMismatchError": "lamella.saving.weight_assignment",
}

__all__ = sorted(_ATTRIBUTES)


def __getattr__(name):
    module_name = _ATTRIBUTES.get(name)
    if module_name is None:
        raise AttributeError(f"module 'lamella.saving' has no attribute '{name}'")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
