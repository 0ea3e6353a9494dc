"""Helpers of the recurrent layers' parity tests."""

import numpy as np
import pytest


def _as_list(outputs):
    return list(outputs) if isinstance(outputs, list | tuple) else [outputs]


@pytest.fixture
def copy_weights():
    """Copies a built Keras layer's weights into a built lamella layer."""

    def copy(theirs, ours):
        ours.set_weights([np.asarray(w) for w in theirs.get_weights()])

    return copy


@pytest.fixture
def assert_same_outputs():
    """Compares one output or a list of outputs (return_state) at float32 tolerance."""

    def check(ours, theirs, atol=1e-5):
        ours, theirs = _as_list(ours), _as_list(theirs)
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=atol)

    return check


@pytest.fixture
def sequences():
    """A batch of 3 sequences of 6 timesteps with 4 features, and a mask padding
    sample 0 at the end and sample 1 at the start."""
    x = np.random.default_rng(0).normal(size=(3, 6, 4)).astype(np.float32)
    mask = np.ones((3, 6), bool)
    mask[0, 4:] = False
    mask[1, :2] = False
    return x, mask
