"""``RepeatVector`` against Keras 3."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
def test_repeat_vector_matches_keras(twins, random_input):
    twins.compare("RepeatVector", dict(n=3), random_input(2, 4), rtol=0, atol=0)


def test_every_repetition_is_the_input(random_input):
    x = random_input(2, 4)
    out = np.asarray(layers.RepeatVector(5)(x))
    assert out.shape == (2, 5, 4)
    for i in range(5):
        np.testing.assert_array_equal(out[:, i], x)


def test_repeat_vector_keeps_the_layer_contract():
    check_layer(layers.RepeatVector, {"n": 2}, input_shape=(3, 4), expected_output_shape=(3, 2, 4),
                registered_as="RepeatVector")


@pytest.mark.parametrize("n", [0, -2, 1.5, None])
def test_bad_n_raises_quoting_it(n):
    with pytest.raises(ValueError, match=f"RepeatVector expected a positive integer for n. Received: n={n!r}"):
        layers.RepeatVector(n)


def test_rank_3_input_raises():
    with pytest.raises(ValueError, match="ndim=2"):
        layers.RepeatVector(2)(np.zeros((2, 3, 4), np.float32))
