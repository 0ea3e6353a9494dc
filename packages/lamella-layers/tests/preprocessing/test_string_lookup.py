"""StringLookup and IntegerLookup: Keras' documented examples, layouts, errors."""

import jax
import numpy as np
import pytest

import lamella
from lamella import layers

VOCAB = ["a", "b", "c", "d"]
DATA = np.array([["a", "c", "d"], ["d", "z", "b"]])


def test_documented_int_lookup_adapt_and_invert():
    assert layers.StringLookup(vocabulary=VOCAB)(DATA).tolist() == [[1, 3, 4], [4, 0, 2]]
    adapted = layers.StringLookup()
    adapted.adapt(DATA)
    assert adapted.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    inverse = layers.StringLookup(vocabulary=VOCAB, invert=True)
    assert inverse(np.array([[1, 3, 4], [4, 0, 2]])).tolist() == [["a", "c", "d"], ["d", "[UNK]", "b"]]


def test_documented_vector_modes():
    one_hot = layers.StringLookup(vocabulary=VOCAB, output_mode="one_hot")(np.array(["a", "b", "c", "d", "z"]))
    np.testing.assert_array_equal(
        one_hot, [[0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 1], [1, 0, 0, 0, 0]])
    data = np.array([["a", "c", "d", "d"], ["d", "z", "b", "z"]])
    np.testing.assert_array_equal(layers.StringLookup(vocabulary=VOCAB, output_mode="multi_hot")(data),
                                  [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]])
    np.testing.assert_array_equal(layers.StringLookup(vocabulary=VOCAB, output_mode="count")(data),
                                  [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]])
    tfidf = layers.StringLookup(output_mode="tf_idf", vocabulary=VOCAB, idf_weights=[0.25, 0.75, 0.6, 0.4])
    np.testing.assert_allclose(tfidf(data), [[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]], rtol=1e-6)


def test_mask_token_and_several_oov_indices():
    masked = layers.StringLookup(vocabulary=VOCAB, mask_token="")
    assert masked(np.array(["", "a", "z"])).tolist() == [0, 2, 1]
    assert masked.get_vocabulary()[:2] == ["", "[UNK]"]
    multi = layers.StringLookup(vocabulary=VOCAB, mask_token="", output_mode="multi_hot")
    np.testing.assert_array_equal(multi(np.array([["", "a"]])), [[0, 1, 0, 0, 0]])  # mask dropped
    # Keras's documented example: OOV tokens spread by FarmHash, "m" to 0, "z" to 1.
    two = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=2)
    assert two(np.array([["a", "c", "d"], ["m", "z", "b"]])).tolist() == [[2, 4, 5], [0, 1, 3]]
    strict = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=0)
    with pytest.raises(ValueError, match="num_oov_indices=0 and received tokens .*'z'"):
        strict(DATA)


def test_vocabulary_file_special_tokens_and_errors(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("[UNK]\na\nb\n")
    layer = layers.StringLookup(vocabulary=str(path))
    assert layer.get_vocabulary() == ["[UNK]", "a", "b"]
    with pytest.raises(ValueError, match="repeated term.*\\['a'\\]"):
        layers.StringLookup(vocabulary=["a", "b", "a"])
    with pytest.raises(ValueError, match="special token"):
        layers.StringLookup(vocabulary=["a", "[UNK]"])
    with pytest.raises(ValueError, match="idf_weights must be set"):
        layers.StringLookup(vocabulary=VOCAB, output_mode="tf_idf")
    with pytest.raises(ValueError, match="invert=True only works with output_mode='int'"):
        layers.StringLookup(invert=True, output_mode="count")
    with pytest.raises(ValueError, match="larger than max_tokens=3"):
        layers.StringLookup(vocabulary=VOCAB, max_tokens=3)
    with pytest.raises(ValueError, match="expects strings"):
        layers.StringLookup(vocabulary=VOCAB)(np.array([1.5]))


def test_lookup_configs_round_trip():
    layer = layers.StringLookup(output_mode="count")
    layer.adapt(DATA)
    rebuilt = layers.StringLookup.from_config(layer.get_config())
    np.testing.assert_array_equal(rebuilt(DATA), layer(DATA))
    assert layers.deserialize(layers.serialize(layer)).get_vocabulary() == layer.get_vocabulary()
    integers = layers.IntegerLookup(vocabulary=[3, 5, 7], name="ids")
    config = layers.serialize(integers)
    assert config["class_name"] == "IntegerLookup"
    np.testing.assert_array_equal(layers.deserialize(config)(np.array([[3, 4], [7, 5]])), [[1, 0], [3, 2]])
    assert tuple(integers(lamella.Input((2,), dtype="int32")).shape) == (None, 2)
    with pytest.raises(ValueError, match="runs on the host .*cannot be called inside jax.jit"):
        jax.jit(lambda x: integers(x))(np.array([3]))


def test_salted_oov_buckets_hash_as_the_salted_hashing_layer():
    tokens = np.array(["m", "z", "q", "xyz", "hello", "lamella", "[UNK]", "é"])
    salted = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=3, salt=[1, 2])
    hashing = layers.Hashing(num_bins=3, salt=[1, 2])
    np.testing.assert_array_equal(salted(tokens), np.asarray(hashing(tokens)))
    assert salted(np.array(VOCAB)).tolist() == [3, 4, 5, 6]
    unsalted = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=3)
    assert unsalted(tokens).tolist() != salted(tokens).tolist(), "the salt must change the buckets"
    rebuilt = layers.StringLookup.from_config(salted.get_config())
    assert rebuilt.salt == [1, 2]
    np.testing.assert_array_equal(rebuilt(tokens), salted(tokens))
    with pytest.raises(ValueError, match="StringLookup expected salt to be a non-negative integer"):
        layers.StringLookup(vocabulary=VOCAB, salt="pepper")


def test_a_keras_3_15_string_lookup_config_loads():
    config = {
        "name": "string_lookup", "trainable": True, "dtype": "float32", "max_tokens": None,
        "num_oov_indices": 2, "mask_token": None, "oov_token": "[UNK]", "vocabulary": VOCAB,
        "idf_weights": None, "invert": False, "output_mode": "int", "pad_to_max_tokens": False,
        "sparse": False, "vocabulary_size": 6, "oov_method": "floormod", "salt": None,
        "encoding": "utf-8",
    }
    layer = layers.StringLookup.from_config(config)
    # Keras's documented two-OOV example: "m" to 0, "z" to 1.
    assert layer(np.array([["a", "c", "d"], ["m", "z", "b"]])).tolist() == [[2, 4, 5], [0, 1, 3]]
