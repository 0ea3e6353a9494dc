"""Hashing: Keras's bins (FarmHash, SipHash with a salt), masks, vector modes."""

import numpy as np
import pytest

from lamella import layers
from lamella.layers.preprocessing.fingerprint import fingerprint64

LETTERS = np.array([["A"], ["B"], ["C"], ["D"], ["E"]])


# Keras computes these through TensorFlow, absent here: the expected bins are the
# outputs Keras 3 documents for its Hashing layer (keras.layers.Hashing docstring).
@pytest.mark.parametrize(("options", "inputs", "expected"), [
    ({"num_bins": 3}, LETTERS, [1, 0, 1, 1, 2]),
    ({"num_bins": 3, "mask_value": ""}, np.array([["A"], ["B"], [""], ["C"], ["D"]]), [1, 1, 0, 2, 2]),
    ({"num_bins": 3, "salt": [133, 137]}, LETTERS, [1, 2, 1, 0, 2]),
    ({"num_bins": 3, "salt": 133}, LETTERS, [0, 0, 2, 1, 0]),
])
def test_hashing_gives_the_bins_keras_documents(options, inputs, expected):
    bins = np.asarray(layers.Hashing(**options)(inputs))
    assert bins.shape == (5, 1)
    assert bins[:, 0].tolist() == expected


def test_integers_and_floats_hash_as_their_decimal_text():
    ints = np.asarray(layers.Hashing(num_bins=1000)(np.array([[7], [-12], [7]])))
    assert ints[:, 0].tolist() == [fingerprint64(b"7") % 1000, fingerprint64(b"-12") % 1000] + [ints[0, 0]]
    floats = np.asarray(layers.Hashing(num_bins=1000)(np.array([7.9, -12.2], np.float32)))
    assert floats.tolist() == ints[:2, 0].tolist()  # truncated to 7 and -12, as Keras casts
    with pytest.raises(ValueError, match="NaN or infinite"):
        layers.Hashing(num_bins=3)(np.array([np.nan]))


def test_a_numeric_mask_value_masks_equal_numbers():
    bins = np.asarray(layers.Hashing(num_bins=4, mask_value=0)(np.array([0.0, 3.0, 0.0])))
    assert bins[0] == bins[2] == 0 and bins[1] == fingerprint64(b"3") % 3 + 1


def test_hashing_is_stable_uniform_and_masks():
    values = np.array([str(i) for i in range(4000)])
    bins = np.asarray(layers.Hashing(num_bins=4)(values))
    assert set(bins.tolist()) == {0, 1, 2, 3}
    assert np.bincount(bins).min() > 900  # ~1000 each
    np.testing.assert_array_equal(layers.Hashing(num_bins=4)(values), bins)
    salted = np.asarray(layers.Hashing(num_bins=4, salt=7)(values))
    assert (salted != bins).mean() > 0.5
    assert np.bincount(salted).min() > 900
    masked = np.asarray(layers.Hashing(num_bins=3, mask_value="")(np.array(["", "a", "b", ""])))
    assert masked[0] == masked[3] == 0 and set(masked[1:3].tolist()) <= {1, 2}
    as_bytes = np.asarray(layers.Hashing(num_bins=4)(np.array([s.encode() for s in values[:20]], dtype=object)))
    np.testing.assert_array_equal(as_bytes, bins[:20])


def test_vector_modes_and_config():
    one_hot = np.asarray(layers.Hashing(num_bins=5, output_mode="one_hot")(np.array(["x", "y"])))
    assert one_hot.shape == (2, 5) and (one_hot.sum(axis=1) == 1).all()
    assert one_hot.argmax(axis=1).tolist() == [fingerprint64(b"x") % 5, fingerprint64(b"y") % 5]
    values = np.array([str(i) for i in range(50)])
    copy = layers.deserialize(layers.serialize(layers.Hashing(num_bins=4, salt=[1, 2])))
    np.testing.assert_array_equal(copy(values), layers.Hashing(num_bins=4, salt=[1, 2])(values))
    # One integer salt is stored as Keras stores it, as a pair.
    assert layers.Hashing(num_bins=4, salt=5).get_config()["salt"] == [5, 5]


def test_bad_arguments_name_the_argument():
    with pytest.raises(ValueError, match="Received: num_bins=0"):
        layers.Hashing(num_bins=0)
    with pytest.raises(ValueError, match="Received: salt='x'"):
        layers.Hashing(num_bins=2, salt="x")
    with pytest.raises(ValueError, match="non-negative integer .* Received: salt=-1"):
        layers.Hashing(num_bins=2, salt=-1)
    with pytest.raises(ValueError, match="expects strings, integers or floats. Received dtype bool"):
        layers.Hashing(num_bins=2)(np.array([True]))
