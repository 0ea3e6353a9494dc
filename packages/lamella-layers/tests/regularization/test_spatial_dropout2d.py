"""``SpatialDropout2D``: whole channels dropped, in both data formats."""

import json

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.parametrize("data_format, channel_axis", [("channels_last", 3), ("channels_first", 1)])
def test_each_channel_is_kept_or_dropped_whole(data_format, channel_axis):
    shape = (40, 4, 5, 30) if data_format == "channels_last" else (40, 30, 4, 5)
    out = np.asarray(layers.SpatialDropout2D(0.5, data_format=data_format, seed=1)(
        np.ones(shape, np.float32), training=True))
    spatial = (1, 2) if channel_axis == 3 else (2, 3)
    kept = out.max(axis=spatial)
    np.testing.assert_array_equal(out.min(axis=spatial), kept)  # constant over the map
    assert set(np.unique(kept)) <= {0.0, 2.0}
    assert 0.4 < (kept > 0).mean() < 0.6


@pytest.mark.keras_parity
def test_inference_is_the_identity_and_the_drop_rate_matches_keras(keras, random_input):
    x = np.ones((200, 3, 3, 50), np.float32)
    np.testing.assert_array_equal(layers.SpatialDropout2D(0.3)(x), x)
    ours = (np.asarray(layers.SpatialDropout2D(0.3, seed=2)(x, training=True)) == 0).mean()
    theirs = (np.asarray(keras.layers.SpatialDropout2D(0.3, seed=2)(x, training=True)) == 0).mean()
    assert abs(ours - 0.3) < 0.03 and abs(theirs - 0.3) < 0.03


@pytest.mark.keras_parity
def test_config_matches_keras(keras):
    ours = json.loads(json.dumps(layers.SpatialDropout2D(0.2, data_format="channels_first", seed=3).get_config()))
    theirs = keras.layers.SpatialDropout2D(0.2, data_format="channels_first", seed=3).get_config()
    assert {k: ours[k] for k in ("rate", "seed", "data_format")} == {k: theirs[k] for k in ("rate", "seed", "data_format")}
    assert "noise_shape" not in ours


def test_spatial_dropout2d_keeps_the_layer_contract():
    check_layer(layers.SpatialDropout2D, {"rate": 0.5, "seed": 1}, input_shape=(2, 3, 3, 2),
                registered_as="SpatialDropout2D")


def test_bad_rate_and_rank_raise():
    with pytest.raises(ValueError, match=r"SpatialDropout2D expected a rate.*rate=2"):
        layers.SpatialDropout2D(2)
    with pytest.raises(ValueError, match="ndim=4"):
        layers.SpatialDropout2D(0.5)(np.ones((2, 3, 4), np.float32), training=True)
