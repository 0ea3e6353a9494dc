"""Process-wide state that ``clear_session()`` resets.

Kept in one dictionary so that resetting is one call and nothing is forgotten: layer
name counters, the global seed generator, and whatever other modules register.
"""

import threading

_state = {}
_lock = threading.RLock()


def get(key, default=None):
    return _state.get(key, default)


def set(key, value):  # noqa: A001 - mirrors dict vocabulary on purpose
    _state[key] = value


def setdefault(key, factory):
    """Returns the value for ``key``, creating it with ``factory()`` once."""
    value = _state.get(key)
    if value is None:
        with _lock:
            value = _state.get(key)
            if value is None:
                value = factory()
                _state[key] = value
    return value


def clear():
    _state.clear()
