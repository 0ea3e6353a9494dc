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


def test_conv3d_transpose_with_stride_equal_to_kernel_scatters_each_voxel_to_a_block():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1, 2, 2, 2, 3)).astype("float32")
    kernel = rng.normal(size=(2, 2, 2, 2, 3)).astype("float32")  # (d, h, w, filters, channels)
    layer = layers.Conv3DTranspose(2, 2, strides=2, use_bias=False)
    layer(x)
    layer.set_weights([kernel])
    out = np.asarray(layer(x))
    assert out.shape == (1, 4, 4, 4, 2)
    # Non-overlapping blocks: output voxel (2i+a, 2j+b, 2k+c) = kernel[a, b, c] . x[i, j, k].
    expected = np.einsum("nijkc,abdfc->niajbkdf", x, kernel).reshape(1, 4, 4, 4, 2)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
