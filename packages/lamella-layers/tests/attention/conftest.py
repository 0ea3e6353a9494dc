"""Inputs of the attention layers' tests."""

import numpy as np
import pytest


@pytest.fixture
def qv():
    rng = np.random.default_rng(0)
    query = rng.normal(size=(2, 4, 3)).astype(np.float32)
    value = rng.normal(size=(2, 5, 3)).astype(np.float32)
    query_mask = np.ones((2, 4), bool)
    query_mask[1, 2:] = False
    value_mask = np.ones((2, 5), bool)
    value_mask[0, 3:] = False
    return query, value, query_mask, value_mask


@pytest.fixture
def same_outputs():
    def check(ours, theirs):
        ours = ours if isinstance(ours, tuple) else (ours,)
        theirs = theirs if isinstance(theirs, tuple) else (theirs,)
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-5)

    return check
