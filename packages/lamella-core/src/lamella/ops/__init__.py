"""``lamella.ops``: array operations named after ``keras.ops``, backed by jax.

Everything accepts array-likes (see ``lamella.ops.core``) and returns ``jax.Array``.
"""

from lamella.ops import core, math, nn, numpy
from lamella.ops.core import *  # noqa: F403
from lamella.ops.math import *  # noqa: F403
from lamella.ops.nn import *  # noqa: F403
from lamella.ops.numpy import *  # noqa: F403

__all__ = sorted({*core.__all__, *math.__all__, *nn.__all__, *numpy.__all__})
