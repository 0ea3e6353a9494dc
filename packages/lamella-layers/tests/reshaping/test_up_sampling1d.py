"""``UpSampling1D`` against Keras 3."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("size", [1, 2, 3])
def test_up_sampling1d_matches_keras(twins, random_input, size):
    twins.compare("UpSampling1D", dict(size=size), random_input(2, 4, 3), rtol=0, atol=0)


def test_up_sampling1d_keeps_the_layer_contract():
    check_layer(layers.UpSampling1D, {"size": 3}, input_shape=(2, 4, 3), expected_output_shape=(2, 12, 3),
                registered_as="UpSampling1D")
    assert layers.UpSampling1D(2).compute_output_shape((None, None, 3)) == (None, None, 3)


def test_bad_size_raises_quoting_it():
    with pytest.raises(ValueError, match="UpSampling1D expected size.*size=-2"):
        layers.UpSampling1D(-2)
