"""skipgrams and make_sampling_table: Keras 2's pairs, negatives and table."""

import numpy as np
import pytest

from lamella.preprocessing.sequence import make_sampling_table, skipgrams


def test_positive_couples_are_the_window_neighbours():
    couples, labels = skipgrams([1, 2, 3, 0, 4], 5, window_size=1, negative_samples=0, shuffle=False)
    assert couples == [[1, 2], [2, 1], [2, 3], [3, 2]]  # 0 is padding, on both sides
    assert labels == [1, 1, 1, 1]
    couples, _ = skipgrams([1, 2, 3], 4, window_size=2, negative_samples=0, shuffle=False)
    assert couples == [[1, 2], [1, 3], [2, 1], [2, 3], [3, 1], [3, 2]]


def test_negatives_are_in_range_and_labels_stay_aligned_after_shuffling():
    sequence = [1, 2, 3, 4, 5, 6]
    positives = {tuple(c) for c in skipgrams(sequence, 7, window_size=2, negative_samples=0, shuffle=False)[0]}
    couples, labels = skipgrams(sequence, 7, window_size=2, negative_samples=2.0, seed=3)
    assert len(labels) == len(couples) == 3 * len(positives)
    assert labels.count(0) == 2 * labels.count(1)
    for couple, label in zip(couples, labels):
        if label == 1:
            assert tuple(couple) in positives
        else:
            assert couple[0] in sequence and 1 <= couple[1] < 7
    assert skipgrams(sequence, 7, seed=3) == skipgrams(sequence, 7, seed=3)
    assert skipgrams(sequence, 7, seed=3) != skipgrams(sequence, 7, seed=4)


def test_categorical_labels():
    _, labels = skipgrams([1, 2], 3, window_size=1, negative_samples=1.0, categorical=True, shuffle=False)
    assert labels == [[0, 1], [0, 1], [1, 0], [1, 0]]


def test_sampling_table_drops_frequent_words():
    table = np.zeros(10)
    table[2] = 1.0  # only word 2 may be a center word
    couples, _ = skipgrams([1, 2, 3], 10, window_size=1, negative_samples=0, sampling_table=table, seed=0)
    assert sorted(map(tuple, couples)) == [(2, 1), (2, 3)]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"vocabulary_size": 1}, "vocabulary_size >= 2. Received: vocabulary_size=1"),
        ({"vocabulary_size": 5, "window_size": 0}, "Received: window_size=0"),
        ({"vocabulary_size": 5, "negative_samples": -1}, "Received: negative_samples=-1"),
    ],
)
def test_errors_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        skipgrams([1, 2], **kwargs)
    with pytest.raises(ValueError, match="size=0"):
        make_sampling_table(0)
