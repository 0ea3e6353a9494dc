"""to_categorical and normalize, as the Keras tutorials use them."""

import numpy as np
import pytest

from lamella.utils import normalize, to_categorical


def test_to_categorical_of_the_ten_digits():
    result = to_categorical([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    np.testing.assert_array_equal(result, np.eye(10, dtype=np.float32))
    assert result.dtype == np.float32


def test_to_categorical_shapes_and_num_classes():
    assert to_categorical(np.array([[1], [2]]), num_classes=4).shape == (2, 4)
    assert to_categorical(np.zeros((2, 3), int), num_classes=2).shape == (2, 3, 2)


def test_to_categorical_errors_quote_the_value():
    with pytest.raises(ValueError, match="label 5.*num_classes=3"):
        to_categorical([5], num_classes=3)
    with pytest.raises(ValueError, match="non-negative"):
        to_categorical([-1])
    with pytest.raises(ValueError, match="integer class labels"):
        to_categorical([0.5])


def test_normalize_rows_to_unit_norm():
    x = np.array([[3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(normalize(x), [[0.6, 0.8], [0.0, 0.0]])
    np.testing.assert_allclose(normalize(x, order=1), [[3 / 7, 4 / 7], [0.0, 0.0]])
