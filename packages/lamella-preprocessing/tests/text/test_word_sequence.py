"""text_to_word_sequence, one_hot and hashing_trick: Keras 2's documented behaviour."""

import hashlib

import pytest

from lamella.preprocessing.text import hashing_trick, one_hot, text_to_word_sequence


def test_punctuation_and_case_are_dropped():
    assert text_to_word_sequence("hello! ? world!") == ["hello", "world"]
    assert text_to_word_sequence("The Cat, the HAT.\tEnd\n") == ["the", "cat", "the", "hat", "end"]
    # The apostrophe is not a default filter.
    assert text_to_word_sequence("Don't stop") == ["don't", "stop"]


def test_custom_split_filters_and_case():
    assert text_to_word_sequence("a-b--c", filters="", split="-") == ["a", "b", "c"]
    assert text_to_word_sequence("Keep, Case", lower=False) == ["Keep", "Case"]
    assert text_to_word_sequence("x.y", filters="", split=" ") == ["x.y"]
    with pytest.raises(ValueError, match="split must be a non-empty string. Received: split=''"):
        text_to_word_sequence("a b", split="")
    with pytest.raises(TypeError, match="expects a string. Received: list"):
        text_to_word_sequence(["a"])


def test_md5_hashing_is_stable_and_in_range():
    words = ["the", "cat", "sat", "on", "the", "mat"]
    expected = [int(hashlib.md5(w.encode()).hexdigest(), 16) % 9 + 1 for w in words]
    assert hashing_trick("The cat sat on the mat.", 10, hash_function="md5") == expected
    assert hashing_trick("the cat", 10, hash_function=len) == [3 % 9 + 1, 3 % 9 + 1]


def test_one_hot_is_python_hash_and_never_zero():
    encoded = one_hot("The cat sat on the mat.", 5)
    assert len(encoded) == 6
    assert all(1 <= i < 5 for i in encoded)
    assert encoded[0] == encoded[4]  # "the" twice
    assert encoded == [hash(w) % 4 + 1 for w in ["the", "cat", "sat", "on", "the", "mat"]]


def test_analyzer_replaces_the_splitting():
    assert hashing_trick("ab", 3, hash_function=ord, analyzer=list) == [ord("a") % 2 + 1, ord("b") % 2 + 1]


@pytest.mark.parametrize("n", [1, 0, 2.5, True])
def test_hashing_space_must_be_at_least_two(n):
    with pytest.raises(ValueError, match=f"n >= 2. Received: n={n!r}"):
        hashing_trick("a b", n)


def test_bad_hash_function_is_named():
    with pytest.raises(ValueError, match="Received: hash_function='sha1'"):
        hashing_trick("a", 3, hash_function="sha1")
