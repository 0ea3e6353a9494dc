"""Deterministic initializers: ``Zeros``, ``Ones``, ``Constant`` and ``Identity``."""

import numpy as np

from lamella.backend.dtypes import standardize_dtype
from lamella.backend import host_arrays
from lamella.initializers.initializer import Initializer, to_dtype


def _filled(shape, dtype, value):
    array = host_arrays.empty(shape, standardize_dtype(dtype))
    array.fill(value)
    return array


class Zeros(Initializer):
    """Fills with 0.

    Example:

    >>> Zeros()((2, 2)).tolist()
    [[0.0, 0.0], [0.0, 0.0]]
    """

    def __call__(self, shape, dtype=None):
        return _filled(shape, dtype, 0)


class Ones(Initializer):
    """Fills with 1."""

    def __call__(self, shape, dtype=None):
        return _filled(shape, dtype, 1)


class Constant(Initializer):
    """Fills with ``value`` (a scalar, or an array broadcast to the shape).

    Args:
        value: the value.
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return to_dtype(np.broadcast_to(np.asarray(self.value), tuple(shape)), dtype)

    def get_config(self):
        value = self.value
        if isinstance(value, np.ndarray | np.generic):
            value = value.tolist()
        return {"value": value}


class Identity(Initializer):
    """``gain`` times the identity matrix (for 2-D weights; rectangular allowed).

    Args:
        gain: the multiplier.
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(
                "Identity initializes 2-D weights only. "
                f"Received: shape={tuple(shape)}"
            )
        return to_dtype(self.gain * np.eye(*shape), dtype)

    def get_config(self):
        return {"gain": self.gain}
