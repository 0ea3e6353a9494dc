"""Safe loading: Python functions in configs are names, never code from the file.

lamella never writes code into a file: a function (a ``Lambda``'s, a custom
activation) is saved by name, and loading looks the name up in ``custom_objects``
or the registries. Keras, though, writes a ``Lambda`` around an anonymous function
as marshalled bytecode (``{"class_name": "__lambda__", ...}`` in Keras 3,
``function_type: "lambda"`` in Keras 2). Running it would run whatever the file's
author wrote, so such a payload is refused unless

- the caller passes the function itself in ``custom_objects``, under the layer's
  name (or the function's name, when the file gives one), which replaces the
  payload; or
- the caller turns safe mode off (``safe_mode=False``) for a file they trust.

Layers that hold functions (``Lambda``) serialize them with ``serialize_function``
and rebuild them with ``deserialize_function``.
"""

import base64
import builtins
import contextlib
import marshal
import threading
import types

from lamella.saving import object_registration

_state = threading.local()

LAMBDA_TAG = "__lambda__"


class UnsafeConfigError(ValueError):
    """A config holds Python code and safe mode is on."""


@contextlib.contextmanager
def safe_mode_scope(safe_mode=True):
    """Within the block, loading code payloads is allowed only if ``safe_mode`` is
    False."""
    previous = getattr(_state, "safe_mode", None)
    _state.safe_mode = bool(safe_mode)
    try:
        yield
    finally:
        _state.safe_mode = previous


def in_safe_mode():
    """Whether code payloads are refused (the default)."""
    value = getattr(_state, "safe_mode", None)
    return True if value is None else value


# -- saving ------------------------------------------------------------------------


def serialize_function(fn):
    """A function as a name: its registered name, or ``__name__``.

    Functions are never written as code; a file naming an unregistered function
    loads with ``custom_objects={name: fn}``.
    """
    from lamella.saving import serialization

    if isinstance(fn, str):
        return fn
    name = serialization.serialize_object(fn)
    if not isinstance(name, str):
        raise TypeError(f"Cannot serialize {fn!r} as a function.")
    return {"class_name": "function", "config": name}


# -- loading -----------------------------------------------------------------------


def deserialize_function(
    config, custom_objects=None, layer_name=None, kind="activations", function_type=None
):
    """The function described by ``config``.

    Args:
        config: a name, ``{"class_name": "function", "config": name}``, or a Keras
            code payload (refused in safe mode).
        custom_objects: functions by name, consulted first.
        layer_name: the layer holding the function, for messages and for
            ``custom_objects`` keyed by layer name.
        kind: the registry to search for names (default the activations).
        function_type: Keras 2's companion key; ``'lambda'`` marks ``config`` as a
            ``[code, defaults, closure]`` payload.
    """
    from lamella.plugins import get_registry

    if callable(config):
        return config
    if isinstance(config, dict) and config.get("class_name") == "function":
        config = config.get("config")
    if isinstance(config, str):
        found = object_registration.get_registered_object(config, custom_objects)
        if found is None and layer_name is not None:
            found = object_registration.get_registered_object(layer_name, custom_objects)
        if found is None:
            entry = get_registry(kind).lookup(config)
            found = None if entry is None else entry.obj
        if found is None:
            where = f"Layer {layer_name!r} calls" if layer_name else "The config names"
            raise ValueError(
                f"{where} the Python function {config!r}, which is not registered. "
                "lamella files name functions and never contain their code: pass it "
                f"with custom_objects={{{(config if config != '<lambda>' else layer_name)!r}: "
                "function}, or register it with lamella.saving.register_serializable()."
            )
        return found
    payload = code_payload(config)
    if payload is None and function_type == "lambda" and isinstance(config, list | tuple):
        payload = tuple(config) + (None,) * (3 - len(config))
    if payload is None:
        raise ValueError(
            f"Cannot read a function from {config!r}: expected a name or "
            "{'class_name': 'function', 'config': name}."
        )
    if in_safe_mode():
        raise UnsafeConfigError(_refusal([layer_name or "<unnamed>"]))
    return load_function_payload(payload, custom_objects)


def code_payload(value):
    """``(code, defaults, closure)`` when ``value`` is a Keras bytecode payload."""
    if isinstance(value, dict) and value.get("class_name") == LAMBDA_TAG:
        inner = value.get("config") or {}
        if "value" in inner:  # serialize_keras_object's form
            inner = dict(zip(("code", "defaults", "closure"), inner["value"]))
        return inner.get("code"), inner.get("defaults"), inner.get("closure")
    return None


def load_function_payload(payload, custom_objects=None):
    """Rebuilds a marshalled function (only ever called with safe mode off)."""
    code, defaults, closure = payload
    try:
        raw = base64.b64decode(code.encode("ascii") if isinstance(code, str) else code)
        code_object = marshal.loads(raw)
    except (ValueError, EOFError, TypeError) as error:
        raise ValueError(
            "The file holds a Python function as bytecode that this Python cannot "
            f"read ({error}); it was probably saved by another Python version. Pass "
            "the function in custom_objects instead."
        ) from None
    if not isinstance(code_object, types.CodeType):
        raise ValueError("The function payload of the file is not Python code.")
    namespace = {"__builtins__": builtins, **dict(custom_objects or {})}
    cells = None
    if closure:
        cells = tuple(types.CellType(value) for value in closure)
    return types.FunctionType(
        code_object, namespace, code_object.co_name,
        tuple(defaults) if defaults else None, cells,
    )


# -- checking whole configs before anything is built --------------------------------


def _layer_payloads(entry):
    """The keys of a layer config that hold code payloads."""
    config = entry.get("config")
    if not isinstance(config, dict):
        return []
    keys = [k for k, v in config.items() if code_payload(v) is not None]
    # Keras 2's Lambda: function_type 'lambda' with a (code, defaults, closure) list.
    for key, type_key in (("function", "function_type"), ("output_shape", "output_shape_type")):
        if config.get(type_key) == "lambda" and key not in keys:
            keys.append(key)
    return keys


def check_config(config, custom_objects=None, safe_mode=None):
    """Replaces or refuses every code payload of a (lamella-form) config.

    A payload whose layer (or function) is named in ``custom_objects`` becomes a
    reference to that name; the rest raise ``UnsafeConfigError`` in safe mode.
    Returns the config, changed only where payloads were replaced.
    """
    safe = in_safe_mode() if safe_mode is None else safe_mode
    refused = []

    def visit(value):
        if isinstance(value, list):
            return [visit(v) for v in value]
        if not isinstance(value, dict):
            return value
        value = {k: visit(v) for k, v in value.items()}
        if "class_name" in value and isinstance(value.get("config"), dict):
            keys = _layer_payloads(value)
            if keys:
                value = _replace_payloads(value, keys, custom_objects, refused, safe)
        return value

    checked = visit(config)
    if refused:
        raise UnsafeConfigError(_refusal(refused))
    return checked


def _replace_payloads(entry, keys, custom_objects, refused, safe):
    config = dict(entry["config"])
    layer_name = config.get("name", entry.get("name"))
    for key in keys:
        given = None
        for candidate in (layer_name, f"{layer_name}.{key}"):
            if candidate is not None:
                given = object_registration.get_registered_object(candidate, custom_objects)
                if given is not None:
                    given = candidate
                    break
        if given is not None:
            config[key] = {"class_name": "function", "config": given}
            type_key = {"function": "function_type", "output_shape": "output_shape_type"}.get(key)
            if type_key in config:
                config[type_key] = "function"
        elif safe:
            refused.append(layer_name if key == "function" else f"{layer_name} ({key})")
    return {**entry, "config": config}


def _refusal(layers):
    names = ", ".join(repr(n) for n in layers)
    first = layers[0].split(" ")[0]
    return (
        f"The file contains Python code (a Lambda function saved as bytecode) in "
        f"layer(s) {names}. Loading it would run code from the file, so it is refused "
        f"in safe mode. Pass the function instead: custom_objects={{{first!r}: fn}}; "
        "or, if you trust the file, load it with safe_mode=False."
    )
