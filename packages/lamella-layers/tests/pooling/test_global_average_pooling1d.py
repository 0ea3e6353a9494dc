"""``GlobalAveragePooling1D`` against Keras 3, with masks."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer

SHAPE = (2, 9, 3)


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("keepdims", [False, True])
def test_global_average_pooling1d_matches_keras(twins, random_input, data_format, keepdims):
    x = random_input(*SHAPE)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare("GlobalAveragePooling1D", dict(data_format=data_format, keepdims=keepdims), x,
                  rtol=1e-6, atol=1e-6)


def test_it_reduces_every_spatial_position(random_input):
    x = random_input(*SHAPE)
    np.testing.assert_allclose(
        layers.GlobalAveragePooling1D()(x), x.mean(axis=(1,)), rtol=1e-6, atol=1e-6
    )


def test_global_average_pooling1d_keeps_the_layer_contract():
    check_layer(layers.GlobalAveragePooling1D, {"keepdims": True}, input_shape=SHAPE,
                registered_as="GlobalAveragePooling1D")
    assert layers.get("GlobalAvgPool1D") is layers.GlobalAveragePooling1D


def test_keepdims_must_be_a_bool():
    with pytest.raises(ValueError, match="keepdims='yes'"):
        layers.GlobalAveragePooling1D(keepdims="yes")


@pytest.mark.keras_parity
def test_mask_averages_only_the_unmasked_steps_like_keras(keras, random_input):
    x = random_input(3, 5, 2)
    mask = np.array([[1, 1, 0, 0, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0]], bool)
    out = np.asarray(layers.GlobalAveragePooling1D()(x, mask=mask))
    expected = (x * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    np.testing.assert_allclose(out, keras.layers.GlobalAveragePooling1D()(x, mask=mask), rtol=1e-6)
    first = layers.GlobalAveragePooling1D(data_format="channels_first")(np.moveaxis(x, -1, 1), mask=mask)
    np.testing.assert_allclose(first, expected, rtol=1e-6)
