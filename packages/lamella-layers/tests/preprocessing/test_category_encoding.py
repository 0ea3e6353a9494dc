"""CategoryEncoding and Hashing."""

import jax
import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("mode, data", [
    ("one_hot", np.array([3, 2, 0, 1])),
    ("one_hot", np.array([[3], [2]])),
    ("multi_hot", np.array([[0, 1], [0, 0], [1, 2], [3, 1]])),
    ("count", np.array([[0, 1], [0, 0], [1, 2], [3, 1]])),
    ("multi_hot", np.array([0, 2, 2])),
])
def test_matches_keras(keras, mode, data):
    ours = layers.CategoryEncoding(num_tokens=4, output_mode=mode)(data)
    theirs = keras.layers.CategoryEncoding(num_tokens=4, output_mode=mode)(data)
    np.testing.assert_array_equal(ours, theirs)
    assert layers.CategoryEncoding(num_tokens=4, output_mode=mode).compute_output_shape(data.shape) == tuple(theirs.shape)


@pytest.mark.keras_parity
def test_count_weights_match_keras(keras):
    data = np.array([[0, 1], [0, 0], [1, 2], [3, 1]])
    weights = np.array([[0.1, 0.2], [0.1, 0.1], [0.2, 0.3], [0.4, 0.2]], np.float32)
    ours = layers.CategoryEncoding(num_tokens=4, output_mode="count")(data, count_weights=weights)
    theirs = keras.layers.CategoryEncoding(num_tokens=4, output_mode="count")(data, count_weights=weights)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_contract_and_jit():
    check_layer(layers.CategoryEncoding, {"num_tokens": 5, "output_mode": "count"},
                input_data=np.array([[1, 1, 4]]), expected_output=np.array([[0, 2, 0, 0, 1]]),
                registered_as="CategoryEncoding")
    encode = layers.CategoryEncoding(num_tokens=3, output_mode="one_hot")
    np.testing.assert_array_equal(jax.jit(lambda x: encode(x))(np.array([2, 0])), [[0, 0, 1], [1, 0, 0]])


def test_errors():
    with pytest.raises(ValueError, match="positive integer for num_tokens. Received: num_tokens=0"):
        layers.CategoryEncoding(num_tokens=0)
    with pytest.raises(ValueError, match="output_mode to be one of"):
        layers.CategoryEncoding(num_tokens=3, output_mode="int")
    with pytest.raises(ValueError, match="count_weights only apply"):
        layers.CategoryEncoding(num_tokens=3)(np.array([[1]]), count_weights=np.ones((1, 1)))
    with pytest.raises(ValueError, match="at most 2 dimensions"):
        layers.CategoryEncoding(num_tokens=3)(np.zeros((1, 1, 1), np.int32))
