"""``GroupNormalization`` against Keras 3."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("config, shape", [
    (dict(groups=2), (2, 5, 4)),
    (dict(groups=3, axis=1), (2, 6, 3, 2)),
    (dict(groups=4, center=False), (2, 3, 3, 4)),
    (dict(groups=1, scale=False), (2, 4)),
], ids=["seq", "channels-first", "instance", "layer"])
def test_group_normalization_matches_keras(twins, random_input, config, shape):
    twins.compare("GroupNormalization", config, random_input(*shape) * 2 + 1)


@pytest.mark.keras_parity
def test_group_normalization_gradients_match_keras(twins, random_input):
    twins.compare_gradients("GroupNormalization", dict(groups=2), random_input(2, 3, 4))


def test_each_group_is_standardized(random_input):
    x = random_input(2, 5, 6) * 4 + 1
    out = np.asarray(layers.GroupNormalization(groups=3, epsilon=1e-6)(x)).reshape(2, 5, 3, 2)
    np.testing.assert_allclose(out.mean(axis=(1, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(out.std(axis=(1, 3)), 1, rtol=1e-3)


def test_group_normalization_keeps_the_layer_contract():
    check_layer(layers.GroupNormalization, {"groups": 2}, input_shape=(2, 3, 4), registered_as="GroupNormalization")


def test_channels_must_be_a_multiple_of_groups():
    with pytest.raises(ValueError, match=r"'gn'.*channels \(6\).*groups=4"):
        layers.GroupNormalization(groups=4, name="gn")(np.zeros((1, 6), np.float32))
    with pytest.raises(ValueError, match="GroupNormalization expected a positive integer for groups"):
        layers.GroupNormalization(groups=0)
