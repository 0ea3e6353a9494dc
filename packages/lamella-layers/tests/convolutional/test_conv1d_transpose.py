"""``Conv1DTranspose`` against Keras 3."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer

CONFIGS = [
    dict(kernel_size=3),
    dict(kernel_size=3, strides=2, padding="same"),
    dict(kernel_size=4, strides=3, output_padding=1),
    dict(kernel_size=2, dilation_rate=3, padding="same", activation="tanh"),
]


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("config", CONFIGS, ids=[str(i) for i in range(len(CONFIGS))])
def test_conv1d_transpose_matches_keras_with_same_weights(twins, random_input, config, data_format):
    x = random_input(2, 5, 3)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare("Conv1DTranspose", dict(filters=4, data_format=data_format, **config), x)


def test_conv1d_transpose_keeps_the_layer_contract():
    check_layer(layers.Conv1DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2},
                input_shape=(2, 4, 3), expected_output_shape=(2, 9, 2), registered_as="Conv1DTranspose")


def test_output_padding_must_be_below_the_stride():
    with pytest.raises(ValueError, match=r"output_padding=1, strides=\(1,\)"):
        layers.Conv1DTranspose(2, 3, output_padding=1)
