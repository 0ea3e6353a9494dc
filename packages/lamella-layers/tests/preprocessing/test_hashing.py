"""Hashing: stable, uniform bins, masks, salts, vector modes."""

import numpy as np
import pytest

from lamella import layers


def test_hashing_is_stable_uniform_and_masks():
    values = np.array([str(i) for i in range(4000)])
    bins = np.asarray(layers.Hashing(num_bins=4)(values))
    assert set(bins.tolist()) == {0, 1, 2, 3}
    assert np.bincount(bins).min() > 900  # ~1000 each
    np.testing.assert_array_equal(layers.Hashing(num_bins=4)(values), bins)
    salted = np.asarray(layers.Hashing(num_bins=4, salt=7)(values))
    assert (salted != bins).mean() > 0.5
    masked = np.asarray(layers.Hashing(num_bins=3, mask_value="")(np.array(["", "a", "b", ""])))
    assert masked[0] == masked[3] == 0 and set(masked[1:3].tolist()) <= {1, 2}
    ints = np.asarray(layers.Hashing(num_bins=5)(np.array([[1], [2], [1]])))
    assert ints.shape == (3, 1) and ints[0, 0] == ints[2, 0]
    one_hot = np.asarray(layers.Hashing(num_bins=5, output_mode="one_hot")(np.array(["x", "y"])))
    assert one_hot.shape == (2, 5) and (one_hot.sum(axis=1) == 1).all()
    copy = layers.deserialize(layers.serialize(layers.Hashing(num_bins=4, salt=[1, 2])))
    np.testing.assert_array_equal(copy(values[:50]), layers.Hashing(num_bins=4, salt=[1, 2])(values[:50]))
    with pytest.raises(ValueError, match="Received: num_bins=0"):
        layers.Hashing(num_bins=0)
    with pytest.raises(ValueError, match="Received: salt='x'"):
        layers.Hashing(num_bins=2, salt="x")
