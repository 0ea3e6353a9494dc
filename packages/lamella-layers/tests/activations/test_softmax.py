"""``Softmax`` against Keras 3, with axes and masks."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("axis", [-1, 1, [1, 2]])
def test_softmax_matches_keras(twins, random_input, axis):
    twins.compare("Softmax", dict(axis=axis), random_input(2, 3, 4) * 3, rtol=1e-6, atol=1e-6)


@pytest.mark.keras_parity
def test_masked_positions_get_zero_probability_like_keras(keras, random_input):
    x = random_input(2, 4)
    mask = np.array([[True, True, False, False], [False, False, False, False]])
    out = np.asarray(layers.Softmax()(x, mask=mask))
    np.testing.assert_allclose(out, keras.layers.Softmax()(x, mask=mask), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(out[0, :2].sum(), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(out[0, 2:], 0)
    np.testing.assert_array_equal(out[1], 0)


def test_softmax_keeps_the_layer_contract():
    check_layer(layers.Softmax, {"axis": 1}, input_shape=(2, 3, 4), registered_as="Softmax")
