"""set_random_seed makes initialization and dropout reproducible."""

import numpy as np

from lamella import initializers, random
from lamella.utils import set_random_seed


def test_same_seed_same_weights_and_keys():
    draws = []
    for _ in range(2):
        set_random_seed(11)
        draws.append((initializers.GlorotUniform()((4, 4)), np.asarray(random.uniform((3,)))))
    np.testing.assert_array_equal(draws[0][0], draws[1][0])
    np.testing.assert_array_equal(draws[0][1], draws[1][1])
    set_random_seed(12)
    assert not np.array_equal(initializers.GlorotUniform()((4, 4)), draws[0][0])


def test_seed_generator_streams_differ_and_advance():
    generator = random.SeedGenerator(seed=3)
    a = random.normal((4,), seed=generator)
    b = random.normal((4,), seed=generator)
    assert not np.array_equal(a, b)
    again = random.SeedGenerator(seed=3)
    np.testing.assert_array_equal(random.normal((4,), seed=again), a)
