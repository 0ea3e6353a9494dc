"""``PReLU`` against Keras 3: learned slopes, shared axes, training."""

import json

import numpy as np
import pytest

import lamella
from lamella import layers
from lamella.testing import PlainSGD, check_layer, squared_error


@pytest.mark.keras_parity
@pytest.mark.parametrize("shared_axes, shape", [(None, (3, 4)), ([1, 2], (2, 3, 3, 4)), (1, (2, 5, 3))])
def test_prelu_matches_keras(twins, random_input, shared_axes, shape):
    ours, _ = twins.compare("PReLU", dict(shared_axes=shared_axes), random_input(*shape), rtol=1e-6, atol=1e-6)
    if shared_axes == [1, 2]:
        assert ours.alpha.shape == (1, 1, 4)


@pytest.mark.keras_parity
def test_prelu_gradients_match_keras(twins, random_input):
    twins.compare_gradients("PReLU", dict(shared_axes=[1]), random_input(3, 4, 2))


def test_the_slope_is_learned(random_input):
    x = -np.abs(random_input(32, 2))
    model = lamella.Sequential([lamella.Input((2,)), layers.PReLU()])
    model.compile(optimizer=PlainSGD(0.1), loss=squared_error)
    model.fit(x, 0.5 * x, epochs=20, batch_size=8, verbose=0)
    np.testing.assert_allclose(model.layers[0].alpha.numpy(), [0.5, 0.5], atol=0.05)


def test_prelu_keeps_the_layer_contract():
    check_layer(layers.PReLU, {"alpha_initializer": "ones", "shared_axes": [1]}, input_shape=(2, 3, 4),
                expected_num_trainable_weights=1, registered_as="PReLU")


@pytest.mark.keras_parity
def test_config_keys_match_keras(keras):
    assert set(json.loads(json.dumps(layers.PReLU().get_config()))) == set(keras.layers.PReLU().get_config())


def test_shared_axis_out_of_range_raises():
    with pytest.raises(ValueError, match=r"shared_axes=\(3,\)"):
        layers.PReLU(shared_axes=3).build((None, 4, 2))
