"""Serializing objects to plain configs and back, through the registries.

A serialized object is a dict::

    {"class_name": "Dense", "config": {...},
     "registered_by": {"distribution": "lamella-layers", "version": "0.1.0"}}

``class_name`` is the key the object is registered under (or ``"package>Name"`` for
custom objects). Loading looks the name up in ``custom_objects``, the custom-object
registry and the plugin registries, in that order; it never imports a module named in
a file. When the name is missing, the error names the distribution that provided it
when the file was written. Registered functions (activations, loss functions)
serialize as their name alone.
"""

from lamella.plugins import get_registry
from lamella.plugins.errors import UnknownNameError
from lamella.plugins.registry import FIRST_PARTY, SINGULAR
from lamella.saving import object_registration


def serialize_object(obj, kind=None):
    """A plain (JSON-ready) description of ``obj``.

    Args:
        obj: a registered or custom object (an instance with ``get_config``, or a
            function), or ``None``.
        kind: the registry to name it from (``'layers'``, ``'activations'``, ...);
            when omitted every registry is searched.
    """
    if obj is None or isinstance(obj, str | int | float | bool):
        return obj
    is_function = callable(obj) and not hasattr(obj, "get_config") and not isinstance(obj, type)
    custom_name = object_registration._GLOBAL_CUSTOM_NAMES.get(
        obj if is_function else type(obj)
    )
    entry = None
    if custom_name is None:
        kinds = [kind] if kind else list(FIRST_PARTY)
        target = obj if is_function else type(obj)
        for candidate in kinds:
            entry = get_registry(candidate).entry_of(target)
            if entry is not None:
                break
    name = custom_name or (entry.name if entry else getattr(obj if is_function else type(obj), "__name__", None))
    if is_function:
        return name
    if not hasattr(obj, "get_config"):
        raise TypeError(
            f"Cannot serialize {obj!r}: it has no get_config method and is not a "
            "registered function."
        )
    serialized = {"class_name": name, "config": obj.get_config()}
    if entry is not None:
        serialized["registered_by"] = {
            "distribution": entry.provider.distribution,
            "version": entry.provider.version,
        }
    return serialized


def _lookup(name, kind, custom_objects):
    found = object_registration.get_registered_object(name, custom_objects)
    if found is not None:
        return found
    for candidate in [kind] if kind else list(FIRST_PARTY):
        entry = get_registry(candidate).lookup(name)
        if entry is not None:
            return entry.obj
    return None


def deserialize_object(config, kind=None, custom_objects=None):
    """Rebuilds an object from ``serialize_object``'s output (or a bare name).

    A bare name returns the registered object itself (a function, or a class); a
    dict returns ``cls.from_config(config["config"])``. ``kind`` names the registry
    to search; without it every registry is searched.
    """
    if config is None:
        return None
    if isinstance(config, str):
        found = _lookup(config, kind, custom_objects)
        if found is not None:
            return found
        return get_registry(kind or "layers").get(config)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Cannot deserialize a {SINGULAR.get(kind, 'object')} from {config!r}: expected a name "
            "or a dict with 'class_name' and 'config'."
        )
    name = config["class_name"]
    found = _lookup(name, kind, custom_objects)
    if found is None:
        raise UnknownNameError(_missing_message(name, kind or "layers", config))
    cls = found
    inner = config.get("config", {})
    if not hasattr(cls, "from_config"):
        if inner:
            raise TypeError(
                f"{name!r} is registered as {cls!r}, which has no from_config to "
                f"rebuild it from {inner!r}."
            )
        return cls
    if custom_objects:
        with object_registration.custom_object_scope(custom_objects):
            return cls.from_config(inner)
    return cls.from_config(inner)


def _missing_message(name, kind, config):
    noun = SINGULAR[kind]
    provider = config.get("registered_by") or {}
    distribution = provider.get("distribution")
    try:
        get_registry(kind).get(name)
    except UnknownNameError as error:
        known = str(error)
    else:  # pragma: no cover - found after all
        known = ""
    lines = [f"Could not find the {noun} {name!r} named in the config."]
    if distribution:
        version = provider.get("version", "")
        lines.append(
            f"It was provided by {distribution} {version} when saved: install it with "
            f"pip install {distribution}"
        )
    elif ">" in name or kind in ("layers",):
        lines.append(
            "If it is a custom class, pass it in custom_objects={...} or register it "
            "with lamella.saving.register_serializable()."
        )
    module = config.get("module")
    if isinstance(module, str):
        lines.append(
            f"The file names the Python module {module!r}; lamella never imports "
            "modules named in a file, it finds classes by name in custom_objects, "
            "registered custom objects and the installed plugins."
        )
    if known:
        lines.append(known)
    return "\n".join(lines)


def serialize_keras_object(obj):
    """``keras.saving.serialize_keras_object``: ``serialize_object`` over every
    registry."""
    return serialize_object(obj)


def deserialize_keras_object(config, custom_objects=None, **kwargs):
    """``keras.saving.deserialize_keras_object``: a Keras or lamella config (any
    kind) rebuilt through the registries; modules named in it are never imported."""
    from lamella.saving import keras_config

    unknown = sorted(set(kwargs) - {"module_objects", "safe_mode", "printable_module_name"})
    if unknown:
        raise TypeError(f"deserialize_keras_object got unexpected arguments {unknown}")
    return deserialize_object(keras_config.from_keras(config), custom_objects=custom_objects)
