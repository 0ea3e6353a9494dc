"""``Conv3DTranspose`` against Keras 3."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("config", [
    dict(kernel_size=2, strides=2),
    dict(kernel_size=3, strides=(2, 1, 2), padding="same", output_padding=(1, 0, 0)),
], ids=["valid", "same-output-padding"])
def test_conv3d_transpose_matches_keras_with_same_weights(twins, random_input, config, data_format):
    x = random_input(1, 3, 2, 3, 2)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare("Conv3DTranspose", dict(filters=2, data_format=data_format, **config), x)


def test_conv3d_transpose_keeps_the_layer_contract():
    check_layer(layers.Conv3DTranspose, {"filters": 2, "kernel_size": 2, "strides": 2},
                input_shape=(1, 2, 2, 2, 1), expected_output_shape=(1, 4, 4, 4, 2),
                registered_as="Conv3DTranspose")
