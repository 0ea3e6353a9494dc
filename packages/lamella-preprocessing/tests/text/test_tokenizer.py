"""Tokenizer: word indices by frequency, oov handling, matrix modes, JSON round trip.

Expected values are written by hand from Keras 2's documented behaviour.
"""

import json

import numpy as np
import pytest

from lamella.preprocessing.text import Tokenizer, tokenizer_from_json

TEXTS = ["The cat sat on the mat.", "The dog sat on the log.", "Dogs and cats living together."]


def test_word_index_ranks_words_by_count_ties_by_first_appearance():
    tokenizer = Tokenizer()
    tokenizer.fit_on_texts(TEXTS)
    assert tokenizer.document_count == 3
    assert list(tokenizer.word_index)[:4] == ["the", "sat", "on", "cat"]
    assert tokenizer.word_index["the"] == 1 and tokenizer.word_counts["the"] == 4
    assert tokenizer.word_docs["the"] == 2 and tokenizer.word_docs["dogs"] == 1
    assert tokenizer.index_word[tokenizer.word_index["log"]] == "log"
    assert tokenizer.texts_to_sequences(["the cat sat on the mat"]) == [[1, 4, 2, 3, 1, 5]]
    assert tokenizer.index_docs[1] == 2


def test_unknown_words_map_to_the_oov_token_or_vanish():
    tokenizer = Tokenizer(oov_token="<unk>")
    tokenizer.fit_on_texts(["This text has only known words"])
    assert tokenizer.word_index["<unk>"] == 1
    assert tokenizer.texts_to_sequences(["This text has some unknown words"]) == [[2, 3, 4, 1, 1, 7]]
    plain = Tokenizer()
    plain.fit_on_texts(["This text has only known words"])
    assert plain.texts_to_sequences(["This text has some unknown words"]) == [[1, 2, 3, 6]]


def test_num_words_limits_the_indices_used():
    tokenizer = Tokenizer(num_words=5, oov_token="<unk>")
    tokenizer.fit_on_texts(["This text has only known words this text"])
    assert len(tokenizer.word_index) == 7  # the index keeps every word
    assert tokenizer.texts_to_sequences(["This text has some unknown words"]) == [[2, 3, 4, 1, 1, 1]]
    assert tokenizer.sequences_to_texts([[2, 3, 6, 9]]) == ["this text <unk> <unk>"]
    cut = Tokenizer(num_words=3)
    cut.fit_on_texts(["a a a b b c"])
    assert cut.texts_to_sequences(["c b a"]) == [[2, 1]]
    assert cut.sequences_to_texts([[1, 2, 3]]) == ["a b"]
    assert list(cut.texts_to_sequences_generator(["a c"])) == [[1]]


def test_char_level_and_pre_tokenized_lists():
    chars = Tokenizer(char_level=True)
    chars.fit_on_texts(["abba", "Ac"])
    assert chars.word_index == {"a": 1, "b": 2, "c": 3}
    assert chars.texts_to_sequences(["cab"]) == [[3, 1, 2]]
    tokens = Tokenizer()
    tokens.fit_on_texts([["New", "York"], ["new", "jersey"]])
    assert tokens.word_index == {"new": 1, "york": 2, "jersey": 3}


def test_matrix_modes():
    tokenizer = Tokenizer()
    tokenizer.fit_on_texts(["a a b", "b c"])  # a:1 b:2 c:3; a in 1 doc, b in 2, c in 1
    sequences = [[1, 1, 2], [2, 3], []]
    binary = tokenizer.sequences_to_matrix(sequences, mode="binary")
    np.testing.assert_array_equal(binary, [[0, 1, 1, 0], [0, 0, 1, 1], [0, 0, 0, 0]])
    np.testing.assert_array_equal(tokenizer.sequences_to_matrix(sequences, mode="count")[0], [0, 2, 1, 0])
    np.testing.assert_allclose(tokenizer.sequences_to_matrix(sequences, mode="freq")[0], [0, 2 / 3, 1 / 3, 0])
    tfidf = tokenizer.texts_to_matrix(["a a b"], mode="tfidf")
    np.testing.assert_allclose(
        tfidf[0], [0, (1 + np.log(2)) * np.log(1 + 2 / 2), np.log(1 + 2 / 3), 0], rtol=1e-12
    )
    assert Tokenizer(num_words=3).sequences_to_matrix([[1, 5]]).tolist() == [[0, 1, 0]]


def test_matrix_errors():
    with pytest.raises(ValueError, match="Specify a dimension"):
        Tokenizer().sequences_to_matrix([[1]])
    with pytest.raises(ValueError, match="Fit the Tokenizer on some data before using tfidf"):
        Tokenizer(num_words=4).sequences_to_matrix([[1]], mode="tfidf")
    tokenizer = Tokenizer()
    tokenizer.fit_on_texts(["a"])
    with pytest.raises(ValueError, match="Unknown vectorization mode: 'onehot'"):
        tokenizer.texts_to_matrix(["a"], mode="onehot")


def test_fit_on_sequences_counts_documents_for_tfidf():
    tokenizer = Tokenizer(num_words=4)
    tokenizer.fit_on_sequences([[1, 1, 2], [2, 3]])
    assert tokenizer.document_count == 2 and dict(tokenizer.index_docs) == {1: 1, 2: 2, 3: 1}
    np.testing.assert_allclose(
        tokenizer.sequences_to_matrix([[3]], mode="tfidf")[0, 3], np.log(1 + 2 / 2)
    )


def test_json_round_trip_keeps_every_table():
    tokenizer = Tokenizer(num_words=6, oov_token="<oov>")
    tokenizer.fit_on_texts(TEXTS)
    text = tokenizer.to_json(indent=1)
    assert json.loads(text)["class_name"] == "Tokenizer"
    copy = tokenizer_from_json(text)
    assert copy.word_index == tokenizer.word_index
    assert copy.index_word == tokenizer.index_word
    assert dict(copy.index_docs) == dict(tokenizer.index_docs)
    assert copy.document_count == 3 and copy.num_words == 6 and copy.oov_token == "<oov>"
    np.testing.assert_array_equal(copy.texts_to_matrix(TEXTS, "tfidf"), tokenizer.texts_to_matrix(TEXTS, "tfidf"))
    assert copy.texts_to_sequences(["a new cat"]) == tokenizer.texts_to_sequences(["a new cat"])


def test_constructor_and_input_errors():
    with pytest.raises(TypeError, match="Unrecognized keyword arguments passed to Tokenizer: {'words': 3}"):
        Tokenizer(words=3)
    with pytest.raises(ValueError, match="Received: num_words=0"):
        Tokenizer(num_words=0)
    with pytest.raises(TypeError, match="a list of texts, not one string"):
        Tokenizer().fit_on_texts("one text")
    with pytest.raises(ValueError, match="expects the output of Tokenizer.to_json"):
        tokenizer_from_json("{}")
    assert Tokenizer(nb_words=7).num_words == 7
