"""split_dataset and text_dataset_from_directory."""

import numpy as np
import pytest

from lamella.utils import PyDataset, split_dataset, text_dataset_from_directory


def test_split_arrays_keeps_the_structure():
    x, y = np.arange(10).reshape(10, 1), np.arange(10) * 2
    (lx, ly), (rx, ry) = split_dataset((x, y), left_size=0.8)
    assert lx.shape == (8, 1) and ry.tolist() == [16, 18]
    left, right = split_dataset({"a": x, "b": y}, right_size=3, shuffle=True, seed=1)
    assert len(left["a"]) == 7 and len(right["b"]) == 3
    np.testing.assert_array_equal(left["b"], left["a"][:, 0] * 2)
    assert sorted(np.concatenate([left["b"], right["b"]]).tolist()) == y.tolist()
    left, right = split_dataset(np.arange(10), left_size=2, right_size=3)
    assert left.tolist() == [0, 1] and right.tolist() == [2, 3, 4]


def test_split_a_pydataset_by_batches():
    class Batches(PyDataset):
        def __len__(self):
            return 5

        def __getitem__(self, index):
            return np.full((2, 1), index)

    left, right = split_dataset(Batches(), left_size=0.6)
    assert [int(left[i][0, 0]) for i in range(len(left))] == [0, 1, 2]
    assert [int(right[i][0, 0]) for i in range(len(right))] == [3, 4]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({}, ValueError, "either left_size or right_size"),
        ({"left_size": 1.5}, ValueError, r"float left_size must be in \(0, 1\)"),
        ({"left_size": 11}, ValueError, r"in \[1, 10\]"),
        ({"left_size": 6, "right_size": 6}, ValueError, "more than the 10 samples"),
        ({"left_size": "half"}, TypeError, "Received: left_size='half'"),
    ],
)
def test_split_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        split_dataset(np.arange(10), **kwargs)
    with pytest.raises(ValueError, match="same number of samples"):
        split_dataset((np.arange(3), np.arange(4)), left_size=1)
