"""``SeedGenerator``: random state that a layer owns and a compiled step threads.

Its state is a variable ``[seed, counter]``. Each ``next()`` derives a jax key from
it and advances the counter, so that under ``jit`` the state is an input and an
output of the step like any other variable: no hidden global randomness, and the
same seed gives the same dropout masks on every run.
"""

import jax
import numpy as np

from lamella.engine.variable import Variable
from lamella.random.host_rng import draw_seed


class SeedGenerator:
    """A stream of jax random keys.

    Args:
        seed: an integer; ``None`` draws one from the host generator (which
            ``lamella.utils.set_random_seed`` makes reproducible).
        name: the state variable's name.

    Example:

    >>> generator = SeedGenerator(seed=42)
    >>> first, second = generator.next(), generator.next()
    """

    _is_lamella_seed_generator = True

    def __init__(self, seed=None, name=None):
        if seed is None:
            seed = draw_seed()
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
            raise ValueError(f"SeedGenerator expected an integer seed. Received: seed={seed!r}")
        self._initial_seed = int(seed) % (2**32)
        self.name = name or "seed_generator"
        self.state = Variable(
            np.array([self._initial_seed, 0], dtype=np.uint32),
            trainable=False,
            autocast=False,
            name=f"{self.name}_state",
        )
        self.state._is_seed_state = True

    def next(self):
        """A new key; advances the state (recorded in the active scope under ``jit``)."""
        state = self.state.value
        key = jax.random.fold_in(jax.random.key(state[0]), state[1])
        self.state.assign(state + np.array([0, 1], dtype=np.uint32))
        return key

    def get_config(self):
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def global_seed_generator():
    """The generator used by ``lamella.random`` functions called with ``seed=None``."""
    from lamella.backend import global_state

    return global_state.setdefault("seed_generator", lambda: SeedGenerator(name="global"))


def make_key(seed):
    """A jax key from an int, a ``SeedGenerator``, a key, or ``None`` (global stream)."""
    if seed is None:
        return global_seed_generator().next()
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, int | np.integer) and not isinstance(seed, bool):
        return jax.random.key(int(seed))
    if isinstance(seed, jax.Array):
        return seed
    raise ValueError(
        "A seed is an integer, a SeedGenerator, a jax key or None. "
        f"Received: seed={seed!r}"
    )
