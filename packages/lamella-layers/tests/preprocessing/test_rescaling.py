"""Rescaling against Keras 3."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer

X = np.random.default_rng(0).normal(size=(8, 5, 3)).astype(np.float32) * 50


@pytest.mark.keras_parity
@pytest.mark.parametrize("scale, offset", [(1 / 255, 0.0), (1 / 127.5, -1), ([1.0, 2.0, 3.0], [0.0, 1.0, 0.5])])
def test_rescaling_matches_keras(keras, scale, offset):
    np.testing.assert_allclose(layers.Rescaling(scale, offset)(X), keras.layers.Rescaling(scale, offset)(X), rtol=1e-6)
    check_layer(layers.Rescaling, {"scale": scale, "offset": offset}, input_shape=(2, 3), registered_as="Rescaling")
    with pytest.raises(ValueError, match="Received: scale='x'"):
        layers.Rescaling("x")
