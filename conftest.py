"""Test settings shared by every package's tests (pytest loads this file as the
parent of every test directory).

- Keras, the parity oracle, runs on jax: ``KERAS_BACKEND`` must be set before
  anything imports it.
- Every test session gets its own ``LAMELLA_HOME`` so no test reads or writes the
  developer's ``~/.lamella``.
- Every test starts from a fresh session whose random state is seeded from the
  test's id (``_fresh_session``).
- Every reuse of a cached walk of the layers is checked against a fresh walk
  (``LAMELLA_CHECK_LAYER_WALKS``, lamella/engine/layer_walk.py): a way of changing
  a model that the cache does not see fails the test that does it.
"""

import os
import tempfile
import zlib

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("LAMELLA_CHECK_LAYER_WALKS", "1")
os.environ.setdefault("LAMELLA_HOME", tempfile.mkdtemp(prefix="lamella-test-home-"))

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def keras():
    """Keras 3 on jax, the oracle of parity tests."""
    import keras as keras_module

    assert keras_module.backend.backend() == "jax", "parity tests need KERAS_BACKEND=jax"
    return keras_module


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture(autouse=True)
def _fresh_session(request):
    """Layer names and random state start fresh in every test, and custom objects a
    test registers do not leak into the next one.

    The random state is seeded from the test's id: unseeded weights, dropout masks
    and shuffles are then the same in every run, so a test that passes does so on
    every run and a failure reproduces (unseeded, one draw in a full run once left
    a "loss went down" test six epochs above its first loss)."""
    from lamella.backend import clear_session
    from lamella.saving import object_registration
    from lamella.utils import set_random_seed

    clear_session()
    set_random_seed(zlib.crc32(request.node.nodeid.encode()))
    objects = dict(object_registration._GLOBAL_CUSTOM_OBJECTS)
    names = dict(object_registration._GLOBAL_CUSTOM_NAMES)
    yield
    for registry, saved in ((object_registration._GLOBAL_CUSTOM_OBJECTS, objects),
                            (object_registration._GLOBAL_CUSTOM_NAMES, names)):
        registry.clear()
        registry.update(saved)
