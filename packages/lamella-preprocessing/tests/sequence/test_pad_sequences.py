"""``pad_sequences``: Keras 2 semantics, checked value by value."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lamella.preprocessing.sequence import pad_sequences

SEQUENCES = [[1], [2, 3], [4, 5, 6]]


@pytest.mark.parametrize(
    "padding, truncating, expected",
    [
        ("pre", "pre", [[0, 1], [2, 3], [5, 6]]),
        ("post", "pre", [[1, 0], [2, 3], [5, 6]]),
        ("pre", "post", [[0, 1], [2, 3], [4, 5]]),
        ("post", "post", [[1, 0], [2, 3], [4, 5]]),
    ],
)
def test_padding_and_truncating_ends(padding, truncating, expected):
    result = pad_sequences(SEQUENCES, maxlen=2, padding=padding, truncating=truncating)
    assert result.dtype == np.int32
    assert result.tolist() == expected


def test_default_length_is_the_longest_and_value_fills():
    result = pad_sequences(SEQUENCES, value=-1)
    assert result.tolist() == [[-1, -1, 1], [-1, 2, 3], [4, 5, 6]]


def test_float_and_string_dtypes():
    floats = pad_sequences([[0.5, 1.5], [2.5]], dtype="float32", padding="post")
    np.testing.assert_array_equal(floats, np.array([[0.5, 1.5], [2.5, 0.0]], np.float32))
    words = pad_sequences([["the", "cat"], ["sat"]], dtype=object, value="<pad>")
    assert words.tolist() == [["the", "cat"], ["<pad>", "sat"]]


def test_sequences_of_vectors_give_a_3d_array():
    result = pad_sequences([np.ones((2, 3)), np.ones((1, 3)) * 2], maxlen=3, dtype="float32")
    assert result.shape == (2, 3, 3)
    np.testing.assert_array_equal(result[1], [[0, 0, 0], [0, 0, 0], [2, 2, 2]])


def test_empty_sequences_and_zero_length():
    assert pad_sequences([[], [1]]).tolist() == [[0], [1]]
    assert pad_sequences([[1, 2]], maxlen=0).shape == (1, 0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"padding": "middle"}, "padding must be 'pre' or 'post'. Received: padding='middle'"),
        ({"truncating": "end"}, "truncating must be 'pre' or 'post'. Received: truncating='end'"),
        ({"maxlen": -1}, "maxlen must be a non-negative integer. Received: maxlen=-1"),
        ({"value": "x"}, "not compatible with `value`"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        pad_sequences(SEQUENCES, **kwargs)


def test_a_non_sequence_element_is_named_by_index():
    with pytest.raises(ValueError, match="Sequence 1 is 7"):
        pad_sequences([[1], 7])


@given(
    st.lists(st.lists(st.integers(1, 99), max_size=6), min_size=1, max_size=5),
    st.integers(0, 8),
    st.sampled_from(["pre", "post"]),
    st.sampled_from(["pre", "post"]),
)
def test_every_row_holds_the_kept_end_of_its_sequence(sequences, maxlen, padding, truncating):
    result = pad_sequences(sequences, maxlen=maxlen, padding=padding, truncating=truncating)
    assert result.shape == (len(sequences), maxlen)
    for row, sequence in zip(result.tolist(), sequences):
        kept = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        if maxlen == 0:
            kept = []
        pad = [0] * (maxlen - len(kept))
        assert row == (pad + kept if padding == "pre" else kept + pad)
