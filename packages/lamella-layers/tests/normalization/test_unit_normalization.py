"""``UnitNormalization`` against Keras 3."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("axis, shape", [(-1, (3, 4)), ([1, 2], (2, 3, 4)), (1, (2, 3, 4))])
def test_unit_normalization_matches_keras(twins, random_input, axis, shape):
    twins.compare("UnitNormalization", dict(axis=axis), random_input(*shape), rtol=1e-6, atol=1e-6)


def test_norms_are_one_and_zero_stays_zero(random_input):
    out = np.asarray(layers.UnitNormalization()(random_input(5, 7)))
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1, rtol=1e-6)
    np.testing.assert_array_equal(layers.UnitNormalization()(np.zeros((1, 3), np.float32)), [[0, 0, 0]])


def test_unit_normalization_keeps_the_layer_contract():
    check_layer(layers.UnitNormalization, {"axis": [1, 2]}, input_shape=(2, 3, 4), registered_as="UnitNormalization")
