"""Resizing and CenterCrop against Keras 3 (jax backend)."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer

IMAGES = np.random.default_rng(0).uniform(0, 255, size=(2, 9, 12, 3)).astype(np.float32)


@pytest.mark.keras_parity
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic", "lanczos3"])
@pytest.mark.parametrize("size", [(5, 7), (16, 10)])
@pytest.mark.parametrize("aspect", [{}, {"crop_to_aspect_ratio": True}, {"pad_to_aspect_ratio": True}])
def test_resizing_matches_keras(keras, interpolation, size, aspect):
    kwargs = {"interpolation": interpolation, **aspect}
    ours = layers.Resizing(*size, **kwargs)(IMAGES)
    theirs = keras.layers.Resizing(*size, **kwargs)(IMAGES)
    assert ours.shape == theirs.shape == (2, *size, 3)
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-3)


@pytest.mark.keras_parity
def test_channels_first_matches_keras(keras):
    images = np.moveaxis(IMAGES, -1, 1)
    ours = layers.Resizing(4, 6, data_format="channels_first")(images)
    np.testing.assert_allclose(ours, keras.layers.Resizing(4, 6, data_format="channels_first")(images), rtol=1e-4, atol=1e-3)
    crop = layers.CenterCrop(5, 5, data_format="channels_first")(images)
    np.testing.assert_allclose(crop, keras.layers.CenterCrop(5, 5, data_format="channels_first")(images), rtol=1e-5)


def test_contract_and_errors():
    check_layer(layers.Resizing, {"height": 3, "width": 4}, input_shape=(2, 6, 8, 1), registered_as="Resizing")
    check_layer(layers.CenterCrop, {"height": 3, "width": 4}, input_shape=(2, 6, 8, 1), registered_as="CenterCrop")
    with pytest.raises(ValueError, match="positive integer for height. Received: height=0"):
        layers.Resizing(0, 3)
    with pytest.raises(ValueError, match="interpolation to be one of"):
        layers.Resizing(3, 3, interpolation="area")
    with pytest.raises(ValueError, match="only one of crop_to_aspect_ratio and pad_to_aspect_ratio"):
        layers.Resizing(3, 3, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="Received: data_format='nhwc'"):
        layers.CenterCrop(3, 3, data_format="nhwc")
