"""``GlobalMaxPooling2D`` against Keras 3."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer

SHAPE = (2, 7, 6, 3)


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("keepdims", [False, True])
def test_global_max_pooling2d_matches_keras(twins, random_input, data_format, keepdims):
    x = random_input(*SHAPE)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare("GlobalMaxPooling2D", dict(data_format=data_format, keepdims=keepdims), x,
                  rtol=1e-6, atol=1e-6)


def test_it_reduces_every_spatial_position(random_input):
    x = random_input(*SHAPE)
    np.testing.assert_allclose(
        layers.GlobalMaxPooling2D()(x), x.max(axis=(1, 2)), rtol=1e-6, atol=1e-6
    )


def test_global_max_pooling2d_keeps_the_layer_contract():
    check_layer(layers.GlobalMaxPooling2D, {"keepdims": True}, input_shape=SHAPE,
                registered_as="GlobalMaxPooling2D")
    assert layers.get("GlobalMaxPool2D") is layers.GlobalMaxPooling2D


def test_keepdims_must_be_a_bool():
    with pytest.raises(ValueError, match="keepdims='yes'"):
        layers.GlobalMaxPooling2D(keepdims="yes")
