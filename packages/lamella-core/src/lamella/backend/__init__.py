"""The backend: configuration and session state. lamella has one backend, jax."""

from lamella.backend import compile_cache, global_state
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
