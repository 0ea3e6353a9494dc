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
