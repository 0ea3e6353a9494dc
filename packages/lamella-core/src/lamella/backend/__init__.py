"""The backend: configuration and session state (lamella has one backend, jax),
and Keras 2's backend functions for ``from lamella import backend as K`` code
(``legacy_math``, ``legacy_arrays``, ``legacy_nn``, ``legacy_state``)."""

import functools
import importlib

from lamella.backend import compile_cache, global_state, host_arrays, host_memory
from lamella.backend.config import (
    backend,
    epsilon,
    floatx,
    image_data_format,
    lamella_home,
    set_epsilon,
    set_floatx,
    set_image_data_format,
    standardize_data_format,
)
from lamella.backend.dtypes import is_float_dtype, is_int_dtype, standardize_dtype

__all__ = [
    "backend",
    "clear_session",
    "epsilon",
    "floatx",
    "image_data_format",
    "is_float_dtype",
    "is_int_dtype",
    "is_keras_tensor",
    "lamella_home",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "standardize_data_format",
    "standardize_dtype",
]

host_memory.configure()
compile_cache.configure()


def clear_session():
    """Resets layer-name counters and the global random state.

    Models built before the call keep working; new layers are named from ``_1`` again
    (``dense``, ``dense_1``, ...), as in Keras.
    """
    global_state.clear()


def is_keras_tensor(x):
    """True for the symbolic tensors of the functional API."""
    from lamella.engine.symbolic_tensor import SymbolicTensor

    return isinstance(x, SymbolicTensor)


# Keras 2's backend functions (``K.dot``, ``K.sum``, ``K.variable``, ``K.function``,
# ...), loaded on first use: they use lamella.ops, which imports this package.
_LEGACY_MODULES = ("legacy_math", "legacy_arrays", "legacy_nn", "legacy_state")


@functools.cache
def _legacy_names():
    names = {}
    for module_name in _LEGACY_MODULES:
        module = importlib.import_module(f"lamella.backend.{module_name}")
        names.update({name: module for name in module.__all__})
    return names


def __getattr__(name):
    if not name.startswith("_") and name in _legacy_names():
        return getattr(_legacy_names()[name], name)
    raise AttributeError(f"module 'lamella.backend' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_legacy_names()))
