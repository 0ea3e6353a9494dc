"""``SpatialDropout3D``: whole channels of volumes dropped."""

import numpy as np

from lamella import layers
from lamella.testing import check_layer


def test_each_channel_is_kept_or_dropped_whole():
    out = np.asarray(layers.SpatialDropout3D(0.5, data_format="channels_first", seed=4)(
        np.ones((20, 30, 2, 2, 2), np.float32), training=True))
    np.testing.assert_array_equal(out.min(axis=(2, 3, 4)), out.max(axis=(2, 3, 4)))
    assert 0.35 < (out[:, :, 0, 0, 0] == 0).mean() < 0.65


def test_spatial_dropout3d_keeps_the_layer_contract():
    check_layer(layers.SpatialDropout3D, {"rate": 0.5, "seed": 1}, input_shape=(1, 2, 2, 2, 3),
                registered_as="SpatialDropout3D")
