"""``set_random_seed``: one call to make a whole run reproducible."""

import random

import numpy as np



def set_random_seed(seed):
    """Seeds Python's ``random``, numpy, and lamella's own random state.

    After this call, weight initialization, unseeded dropout and shuffling in
    ``fit`` repeat exactly from run to run.
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"set_random_seed expects an integer. Received: seed={seed!r}")
    from lamella.backend import global_state
    from lamella.random.host_rng import seed_host_rng

    random.seed(seed)
    np.random.seed(seed % (2**32))
    seed_host_rng(seed)
    global_state.set("seed_generator", None)
