"""The host random generator behind unseeded initializers and shuffles.

Weights are initialized on the host with numpy: a per-layer jax random op would
compile one XLA program per weight shape (Keras spends most of ResNet50's 5-6 s build
doing that), while numpy fills ResNet50's 25.6M weights in about 0.4 s.
``lamella.utils.set_random_seed`` reseeds this generator.
"""

import numpy as np

from lamella.backend import global_state


def host_rng():
    """The process-wide ``numpy.random.Generator`` (seeded by ``set_random_seed``)."""
    return global_state.setdefault("host_rng", np.random.default_rng)


def rng_for(seed):
    """A generator for an explicit integer ``seed``, or the shared one for ``None``."""
    if seed is None:
        return host_rng()
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(
            f"A seed is an integer or None. Received: seed={seed!r}"
        )
    return np.random.default_rng(int(seed))


def seed_host_rng(seed):
    global_state.set("host_rng", np.random.default_rng(seed))


def draw_seed():
    """A fresh 31-bit seed from the shared generator (for unseeded jax randomness)."""
    return int(host_rng().integers(0, 2**31 - 1))
