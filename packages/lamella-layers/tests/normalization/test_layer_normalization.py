"""``LayerNormalization`` against Keras 3."""

import json

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("config, shape", [
    (dict(), (3, 5)),
    (dict(axis=[1, 2]), (2, 3, 4)),
    (dict(axis=1, center=False), (2, 4, 3)),
    (dict(scale=False, epsilon=1e-5), (2, 3, 4)),
    (dict(rms_scaling=True), (2, 6)),
], ids=["last", "two-axes", "middle-no-center", "no-scale", "rms"])
@pytest.mark.filterwarnings("ignore:.*rms_scaling:UserWarning")
def test_layer_normalization_matches_keras(twins, random_input, config, shape):
    twins.compare("LayerNormalization", config, random_input(*shape) * 3 + 2)


@pytest.mark.keras_parity
def test_layer_normalization_gradients_match_keras(twins, random_input):
    twins.compare_gradients("LayerNormalization", dict(axis=[1, 2]), random_input(2, 3, 4))


def test_each_sample_is_standardized(random_input):
    x = random_input(4, 10) * 5 + 3
    out = np.asarray(layers.LayerNormalization(epsilon=1e-6)(x))
    np.testing.assert_allclose(out.mean(1), 0, atol=1e-5)
    np.testing.assert_allclose(out.std(1), 1, rtol=1e-4)


@pytest.mark.keras_parity
def test_mixed_precision_matches_keras(twins, random_input):
    x = random_input(3, 8) * 3
    ours, theirs = twins.make("LayerNormalization", dict(dtype="mixed_float16"), x.shape)
    out, expected = ours(x), theirs(x)
    assert out.dtype == expected.dtype
    np.testing.assert_allclose(np.asarray(out, np.float32), np.asarray(expected, np.float32), atol=1e-2)


def test_layer_normalization_keeps_the_layer_contract():
    check_layer(layers.LayerNormalization, {"axis": -1}, input_shape=(3, 4), expected_num_trainable_weights=2,
                registered_as="LayerNormalization")


@pytest.mark.keras_parity
def test_config_keys_match_keras(keras):
    assert set(json.loads(json.dumps(layers.LayerNormalization().get_config()))) == set(
        keras.layers.LayerNormalization().get_config())


def test_bad_axis_raises():
    with pytest.raises(ValueError, match="axis"):
        layers.LayerNormalization(axis=0)(np.zeros((2, 3), np.float32))
    with pytest.raises(ValueError, match="LayerNormalization expected axis.*axis='x'"):
        layers.LayerNormalization(axis="x")
