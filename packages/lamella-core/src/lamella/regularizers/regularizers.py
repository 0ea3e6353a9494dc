"""Weight regularizers: penalties on a weight's value added to the training loss."""

import math
import numbers

import jax.numpy as jnp
import numpy as np

from lamella.backend import config
from lamella.ops.core import convert_to_tensor


def _check_factor(cls, name, value, default=None):
    # ``None`` means the default, as in Keras (``L1L2(l1=None)`` is ``l1=0``).
    if value is None and default is not None:
        value = default
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or math.isinf(value)
        or math.isnan(value)
        or value < 0
    ):
        raise ValueError(
            f"{cls} expected a finite non-negative number for {name}. "
            f"Received: {name}={value!r}"
        )
    return float(value)


class Regularizer:
    """Base class: ``regularizer(weight)`` returns a scalar penalty."""

    def __call__(self, x):
        return jnp.asarray(0.0)

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class L1(Regularizer):
    """``l1 * sum(abs(x))``.

    Args:
        l1: the factor (default 0.01).
    """

    def __init__(self, l1=0.01):
        self.l1 = _check_factor("L1", "l1", l1, default=0.01)

    def __call__(self, x):
        x = convert_to_tensor(x)
        return jnp.asarray(self.l1, x.dtype) * jnp.sum(jnp.abs(x))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """``l2 * sum(square(x))``.

    Args:
        l2: the factor (default 0.01).
    """

    def __init__(self, l2=0.01):
        self.l2 = _check_factor("L2", "l2", l2, default=0.01)

    def __call__(self, x):
        x = convert_to_tensor(x)
        return jnp.asarray(self.l2, x.dtype) * jnp.sum(jnp.square(x))

    def get_config(self):
        return {"l2": self.l2}


class L1L2(Regularizer):
    """``l1 * sum(abs(x)) + l2 * sum(square(x))``.

    Args:
        l1: the L1 factor (default 0).
        l2: the L2 factor (default 0).
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _check_factor("L1L2", "l1", l1, default=0.0)
        self.l2 = _check_factor("L1L2", "l2", l2, default=0.0)

    def __call__(self, x):
        x = convert_to_tensor(x)
        penalty = jnp.asarray(0.0, x.dtype)
        if self.l1:
            penalty = penalty + jnp.asarray(self.l1, x.dtype) * jnp.sum(jnp.abs(x))
        if self.l2:
            penalty = penalty + jnp.asarray(self.l2, x.dtype) * jnp.sum(jnp.square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D weight towards orthonormality.

    The penalty is ``factor`` times the mean absolute off-diagonal value of the Gram
    matrix of the L2-normalized rows (``mode='rows'``) or columns. Norms below
    ``backend.epsilon()`` count as ``epsilon``, so an all-zero row stays zero.

    Args:
        factor: the factor (default 0.01).
        mode: ``'rows'`` or ``'columns'``.
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _check_factor("OrthogonalRegularizer", "factor", factor)
        if mode not in ("rows", "columns"):
            raise ValueError(
                "OrthogonalRegularizer expected mode 'rows' or 'columns'. "
                f"Received: mode={mode!r}"
            )
        self.mode = mode

    def __call__(self, x):
        x = convert_to_tensor(x)
        if x.ndim != 2:
            raise ValueError(
                "OrthogonalRegularizer applies to 2-D weights. "
                f"Received a weight of shape {x.shape}"
            )
        if self.mode == "columns":
            x = x.T
        norms = jnp.sqrt(jnp.sum(jnp.square(x), axis=1, keepdims=True))
        normalized = x / jnp.maximum(norms, jnp.asarray(config.epsilon(), x.dtype))
        gram = normalized @ normalized.T
        size = gram.shape[0]
        # A host-side mask: jnp.eye compiles an XLA program for every new size.
        off_diagonal = jnp.sum(jnp.where(np.eye(size, dtype=bool), 0, jnp.abs(gram)))
        return self.factor * off_diagonal / max(size * (size - 1), 1)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}
