"""``UpSampling3D`` against Keras 3."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("size", [2, (1, 2, 3)])
def test_up_sampling3d_matches_keras(twins, random_input, size, data_format):
    x = random_input(1, 2, 3, 2, 2)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare("UpSampling3D", dict(size=size, data_format=data_format), x, rtol=0, atol=0)


def test_up_sampling3d_keeps_the_layer_contract():
    check_layer(layers.UpSampling3D, {"size": 2}, input_shape=(1, 2, 2, 2, 1),
                expected_output_shape=(1, 4, 4, 4, 1), registered_as="UpSampling3D")


def test_only_nearest_interpolation_is_offered():
    with pytest.raises(ValueError, match="interpolation=.bilinear."):
        layers.UpSampling3D(interpolation="bilinear")
