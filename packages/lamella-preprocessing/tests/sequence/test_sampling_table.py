"""make_sampling_table: the Zipf-law formula Keras 2 documents."""

import numpy as np

from lamella.preprocessing.sequence import make_sampling_table


def test_make_sampling_table_follows_the_zipf_formula():
    table = make_sampling_table(6, sampling_factor=1e-3)
    rank = np.array([1, 1, 2, 3, 4, 5], dtype=float)
    expected = np.minimum(1.0, np.sqrt(1e-3 * (rank * (np.log(rank) + 0.577) + 0.5 - 1 / (12 * rank))))
    np.testing.assert_allclose(table, expected, rtol=1e-12)
    assert np.all(np.diff(make_sampling_table(1000)[1:]) >= 0)
