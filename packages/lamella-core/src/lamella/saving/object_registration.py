"""Custom objects: user classes and functions that saved configs may name.

``register_serializable`` (also ``lamella.utils.register_keras_serializable``)
records a class or function under ``"package>Name"`` so that configs naming it load
without passing ``custom_objects``. ``custom_object_scope`` makes objects available
by name for the duration of a block.
"""

import contextlib
import threading

_GLOBAL_CUSTOM_OBJECTS = {}
_GLOBAL_CUSTOM_NAMES = {}
_scopes = threading.local()


def register_serializable(package="Custom", name=None):
    """Decorator: registers a class or function under ``"package>name"``.

    Args:
        package: a namespace for the name, to avoid clashes (default ``'Custom'``).
        name: the name; default the object's ``__name__``.

    Example:

    >>> @register_serializable(package="my_project")
    ... def scaled_relu(x):
    ...     return 2 * x
    >>> get_registered_name(scaled_relu)
    'my_project>scaled_relu'
    """

    def decorator(obj):
        registered = f"{package}>{name or obj.__name__}"
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError(
                f"Cannot register {obj.__name__} as serializable: classes need a "
                "get_config method."
            )
        _GLOBAL_CUSTOM_OBJECTS[registered] = obj
        _GLOBAL_CUSTOM_NAMES[obj] = registered
        return obj

    return decorator


# The Keras spelling.
register_keras_serializable = register_serializable


def get_custom_objects():
    """The global dict of custom objects; adding to it registers objects by name."""
    return _GLOBAL_CUSTOM_OBJECTS


def get_registered_name(obj):
    """The name ``obj`` was registered under, or its ``__name__``."""
    if obj in _GLOBAL_CUSTOM_NAMES:
        return _GLOBAL_CUSTOM_NAMES[obj]
    return getattr(obj, "__name__", None)


def _scope_stack():
    stack = getattr(_scopes, "stack", None)
    if stack is None:
        stack = _scopes.stack = []
    return stack


@contextlib.contextmanager
def custom_object_scope(custom_objects):
    """Within the block, configs can name the objects of ``custom_objects``."""
    _scope_stack().append(dict(custom_objects or {}))
    try:
        yield
    finally:
        _scope_stack().pop()


CustomObjectScope = custom_object_scope


def get_registered_object(name, custom_objects=None):
    """The custom object called ``name`` (scopes, then ``custom_objects``, then the
    global registry; bare names also match ``"package>name"`` entries)."""
    sources = [*reversed(_scope_stack()), custom_objects or {}, _GLOBAL_CUSTOM_OBJECTS]
    for source in sources:
        if name in source:
            return source[name]
    # "package>Name" in a file matches a custom object passed as "Name", and the
    # other way round.
    bare = name.split(">")[-1] if isinstance(name, str) else name
    for source in sources:
        for key, value in source.items():
            if isinstance(key, str) and key.split(">")[-1] == bare:
                return value
    return None
