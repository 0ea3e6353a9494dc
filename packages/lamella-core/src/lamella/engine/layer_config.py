"""Constructor-argument capture, so simple custom layers serialize with no code.

A layer that does not write ``get_config`` still round-trips through
``get_config``/``from_config`` when its constructor arguments are plain values: the
arguments are recorded when the object is created. When they are not plain values,
the error says how to write ``get_config``.
"""

import inspect

_SIGNATURES = {}

_PLAIN_TYPES = (type(None), bool, int, float, str)


def _signature(cls):
    signature = _SIGNATURES.get(cls)
    if signature is None:
        signature = _SIGNATURES[cls] = inspect.signature(cls.__init__)
    return signature


def capture_arguments(cls, args, kwargs):
    """Returns the constructor arguments of ``cls(*args, **kwargs)`` by name.

    ``None`` when they cannot be bound (the constructor will raise its own error).
    """
    try:
        bound = _signature(cls).bind(None, *args, **kwargs)
    except TypeError:
        return None
    captured = {}
    for name, value in list(bound.arguments.items())[1:]:
        parameter = bound.signature.parameters[name]
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            captured.update(value)
        elif parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            captured[name] = list(value)
        else:
            captured[name] = value
    return captured


def is_plain(value):
    """True for JSON-like values: numbers, strings, ``None`` and containers of them."""
    if isinstance(value, _PLAIN_TYPES):
        return True
    if isinstance(value, list | tuple):
        return all(is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_plain(v) for k, v in value.items())
    return False


def auto_config(obj, captured, base_config):
    """The base config updated with ``captured`` arguments, or a helpful error."""
    config = dict(base_config)
    if captured is None:
        captured = {}
    not_plain = {k: v for k, v in captured.items() if not is_plain(v)}
    if not_plain:
        cls = type(obj).__name__
        names = ", ".join(sorted(not_plain))
        raise NotImplementedError(
            f"{cls} cannot be serialized automatically: its constructor received "
            f"arguments that are not plain values ({names}). Write a get_config "
            f"method that returns them in serializable form, for example:\n\n"
            f"    def get_config(self):\n"
            f"        config = super().get_config()\n"
            f"        config.update({{{', '.join(repr(n) + ': ...' for n in sorted(not_plain))}}})\n"
            f"        return config\n\n"
            f"and, if needed, a from_config classmethod that rebuilds them."
        )
    config.update(captured)
    return config
