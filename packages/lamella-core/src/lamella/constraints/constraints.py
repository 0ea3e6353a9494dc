"""Weight constraints: projections applied to a weight after each optimizer update.

Norms are taken along ``axis`` (default 0: for a ``Dense`` kernel of shape
``(n_in, n_out)`` that is the norm of each unit's incoming weights).
"""

import jax.numpy as jnp

from lamella.backend import config
from lamella.ops.core import convert_to_tensor


def _norms(w, axis):
    return jnp.sqrt(jnp.sum(jnp.square(w), axis=axis, keepdims=True))


class Constraint:
    """Base class: ``constraint(w)`` returns the projected weight."""

    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class NonNeg(Constraint):
    """Sets negative weights to zero."""

    def __call__(self, w):
        return jnp.maximum(convert_to_tensor(w), 0)


class UnitNorm(Constraint):
    """Scales weights to unit norm along ``axis``.

    Args:
        axis: the axis (or axes) the norm is taken over.
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = convert_to_tensor(w)
        return w / (config.epsilon() + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


class MaxNorm(Constraint):
    """Scales weights down so their norm along ``axis`` is at most ``max_value``.

    Args:
        max_value: the largest norm allowed.
        axis: the axis (or axes) the norm is taken over.
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = jnp.clip(norms, 0, self.max_value)
        return w * (desired / (config.epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves norms along ``axis`` into ``[min_value, max_value]`` at a given ``rate``.

    The new norm is ``rate * clip(norm, min_value, max_value) + (1 - rate) * norm``:
    ``rate=1`` enforces the bounds at once, smaller rates approach them gradually.

    Args:
        min_value: the smallest norm.
        max_value: the largest norm.
        rate: how far to move towards the bounds per update, in ``[0, 1]``.
        axis: the axis (or axes) the norm is taken over.
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = self.rate * jnp.clip(norms, self.min_value, self.max_value) + (
            1 - self.rate
        ) * norms
        return w * (desired / (config.epsilon() + norms))

    def get_config(self):
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }
