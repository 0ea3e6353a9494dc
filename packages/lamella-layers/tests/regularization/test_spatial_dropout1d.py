"""``SpatialDropout1D``: whole feature channels dropped at every step."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


def test_each_feature_is_kept_or_dropped_at_every_step():
    out = np.asarray(layers.SpatialDropout1D(0.4, seed=3)(np.ones((50, 7, 40), np.float32), training=True))
    np.testing.assert_array_equal(out.min(axis=1), out.max(axis=1))
    assert abs((out[:, 0] == 0).mean() - 0.4) < 0.05
    np.testing.assert_allclose(out[out > 0], 1 / 0.6, rtol=1e-6)


def test_spatial_dropout1d_keeps_the_layer_contract():
    check_layer(layers.SpatialDropout1D, {"rate": 0.3, "seed": 1}, input_shape=(2, 5, 3),
                registered_as="SpatialDropout1D")
    assert "data_format" not in layers.SpatialDropout1D(0.3).get_config()


def test_it_is_the_identity_at_inference():
    x = np.arange(6, dtype=np.float32).reshape(1, 2, 3)
    np.testing.assert_array_equal(layers.SpatialDropout1D(0.9)(x), x)
    with pytest.raises(TypeError, match="data_format"):
        layers.SpatialDropout1D(0.3, data_format="channels_last")
