"""IntegerLookup: Keras' documented examples."""

import numpy as np
import pytest

from lamella import layers


def test_integer_lookup_documented_examples():
    vocab = [12, 36, 1138, 42]
    data = np.array([[12, 1138, 42], [42, 1000, 36]])
    assert layers.IntegerLookup(vocabulary=vocab)(data).tolist() == [[1, 3, 4], [4, 0, 2]]
    adapted = layers.IntegerLookup()
    adapted.adapt(data)
    assert adapted.get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]
    inverse = layers.IntegerLookup(vocabulary=vocab, invert=True)
    assert inverse(np.array([[1, 3, 4], [4, 0, 2]])).tolist() == [[12, 1138, 42], [42, -1, 36]]
    # Several OOV indices: Keras's documented example, 37 -> 1 and 1000 -> 0 (floor
    # modulo, negative tokens included).
    two = layers.IntegerLookup(vocabulary=vocab, num_oov_indices=2)
    assert two(np.array([[12, 1138, 42], [37, 1000, 36]])).tolist() == [[2, 4, 5], [1, 0, 3]]
    assert layers.IntegerLookup(vocabulary=vocab, num_oov_indices=3)(np.array([-1, -5])).tolist() == [2, 1]
    masked = layers.IntegerLookup(vocabulary=vocab, mask_token=0)
    assert masked(np.array([0, 12, 7])).tolist() == [0, 2, 1]
    with pytest.raises(ValueError, match="expects integers"):
        layers.IntegerLookup(vocabulary=vocab)(np.array([1.5]))


def test_farmhash_oov_method_matches_keras_documented_example():
    # Keras 3.15's documented example: ids that floormod piles into one OOV index
    # are spread by hashing their decimal digits.
    vocab = [10, 20, 30]
    oov_values = np.array([100, 300, 700, 1100, 1700, 2000])
    floormod = layers.IntegerLookup(vocabulary=vocab, num_oov_indices=4, oov_method="floormod")
    farmhash = layers.IntegerLookup(vocabulary=vocab, num_oov_indices=4, oov_method="farmhash")
    assert floormod(oov_values).tolist() == [0, 0, 0, 0, 0, 0]
    assert farmhash(oov_values).tolist() == [3, 3, 2, 2, 0, 1]
    assert farmhash(np.array([10, 20, 30])).tolist() == [4, 5, 6]  # the vocabulary is unchanged


def test_salted_farmhash_hashes_as_the_salted_hashing_layer():
    vocab = [10, 20, 30]
    values = np.arange(100, 140)
    lookup = layers.IntegerLookup(vocabulary=vocab, num_oov_indices=5, oov_method="farmhash", salt=[3, 11])
    hashing = layers.Hashing(num_bins=5, salt=[3, 11])
    np.testing.assert_array_equal(lookup(values), np.asarray(hashing(values)))
    unsalted = layers.IntegerLookup(vocabulary=vocab, num_oov_indices=5, oov_method="farmhash")
    assert unsalted(values).tolist() != lookup(values).tolist(), "the salt must change the buckets"
    assert layers.IntegerLookup(vocabulary=vocab, oov_method="farmhash", salt=9).salt == [9, 9]


def test_oov_method_and_salt_errors_and_config():
    with pytest.raises(ValueError, match=r"oov_method in \('floormod', 'farmhash'\). Received: oov_method='hash'"):
        layers.IntegerLookup(vocabulary=[1], oov_method="hash")
    with pytest.raises(ValueError, match="needs oov_method='farmhash'. Received: salt=3, oov_method='floormod'"):
        layers.IntegerLookup(vocabulary=[1], salt=3)
    with pytest.raises(ValueError, match="salt to be a non-negative integer or a pair of them. Received: salt=-1"):
        layers.IntegerLookup(vocabulary=[1], oov_method="farmhash", salt=-1)
    layer = layers.IntegerLookup(vocabulary=[10, 20], num_oov_indices=3, oov_method="farmhash", salt=5)
    config = layer.get_config()
    assert (config["oov_method"], config["salt"]) == ("farmhash", [5, 5])
    rebuilt = layers.IntegerLookup.from_config(config)
    values = np.array([10, 11, 12, 13, 20, 99])
    np.testing.assert_array_equal(rebuilt(values), layer(values))


def test_a_keras_3_15_config_loads():
    # The keys Keras 3.15 writes for IntegerLookup, including the adapted size.
    config = {
        "name": "integer_lookup", "trainable": True, "dtype": "float32", "max_tokens": None,
        "num_oov_indices": 2, "mask_token": None, "oov_token": -1, "vocabulary": [12, 36],
        "idf_weights": None, "invert": False, "output_mode": "int", "pad_to_max_tokens": False,
        "sparse": False, "vocabulary_dtype": "int64", "vocabulary_size": 4,
        "oov_method": "floormod", "salt": None,
    }
    layer = layers.IntegerLookup.from_config(config)
    assert layer(np.array([12, 37, 1000, 36])).tolist() == [2, 1, 0, 3]
