"""CenterCrop against Keras 3."""

import numpy as np
import pytest

from lamella import layers

IMAGES = np.random.default_rng(0).uniform(0, 255, size=(2, 9, 12, 3)).astype(np.float32)


@pytest.mark.keras_parity
@pytest.mark.parametrize("size", [(5, 7), (9, 12), (4, 12), (10, 6), (20, 20)])
def test_center_crop_matches_keras(keras, size):
    ours = layers.CenterCrop(*size)(IMAGES)
    theirs = keras.layers.CenterCrop(*size)(IMAGES)
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-3)
