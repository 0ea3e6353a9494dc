"""Random tensors and ``SeedGenerator`` (``lamella.random``, as ``keras.random``)."""

from lamella.random.random import *  # noqa: F403
from lamella.random.random import __all__ as _functions
from lamella.random.seed_generator import SeedGenerator

__all__ = [*_functions, "SeedGenerator"]
