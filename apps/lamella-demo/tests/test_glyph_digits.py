"""The generated digits: shapes, ranges, labels, and the same data for the same seed."""

import numpy as np

from lamella_demo.glyph_digits import load_data


def test_shapes_ranges_and_labels():
    (x_train, y_train), (x_test, y_test) = load_data(300, 100, seed=1)
    assert x_train.shape == (300, 784) and x_test.shape == (100, 784)
    assert x_train.dtype == np.float32
    assert 0.0 <= x_train.min() and x_train.max() <= 1.0
    assert set(np.unique(y_train)) == set(range(10))
    assert y_test.shape == (100,)


def test_same_seed_same_data_other_seed_other_data():
    (a, la), _ = load_data(50, 10, seed=3)
    (b, lb), _ = load_data(50, 10, seed=3)
    (c, _), _ = load_data(50, 10, seed=4)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(la, lb)
    assert not np.array_equal(a, c)


def test_classes_differ_more_between_than_within():
    # Learnable, not trivial: even the crudest classifier (the nearest mean image)
    # is far above chance (0.1); it scores ~0.48, where the MLP reaches ~0.98.
    (x, y), _ = load_data(2000, 10, seed=0)
    means = np.stack([x[y == d].mean(0) for d in range(10)])
    distances = ((x[:, None, :] - means[None]) ** 2).sum(-1)
    assert (distances.argmin(1) == y).mean() > 0.3
