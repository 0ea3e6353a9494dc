"""``ActivityRegularization``: identity plus an L1/L2 activity penalty."""

import numpy as np
import pytest

import lamella
from lamella import layers
from lamella.testing import PlainSGD, check_layer, squared_error


@pytest.mark.keras_parity
def test_penalty_matches_keras(keras, random_input):
    x = random_input(4, 3)
    ours, theirs = layers.ActivityRegularization(l1=0.1, l2=0.2), keras.layers.ActivityRegularization(l1=0.1, l2=0.2)
    np.testing.assert_array_equal(ours(x), x)
    theirs(x)
    np.testing.assert_allclose([float(v) for v in ours.losses], [float(v) for v in theirs.losses], rtol=1e-6)
    expected = (0.1 * np.abs(x).sum() + 0.2 * np.square(x).sum()) / 4
    np.testing.assert_allclose(float(ours.losses[0]), expected, rtol=1e-6)


def test_the_penalty_joins_the_training_loss(random_input):
    x = random_input(8, 2)
    model = lamella.Sequential([lamella.Input((2,)), layers.ActivityRegularization(l2=1.0)])
    model.compile(optimizer=PlainSGD(0.0), loss=squared_error)
    loss = model.evaluate(x, x, verbose=0)
    np.testing.assert_allclose(loss, np.square(x).sum() / 8, rtol=1e-5)


def test_activity_regularization_keeps_the_layer_contract():
    check_layer(layers.ActivityRegularization, {"l1": 0.01}, input_shape=(2, 3),
                registered_as="ActivityRegularization")
    assert layers.ActivityRegularization(l1=0.5).get_config()["l1"] == 0.5


def test_negative_factors_raise_quoting_them():
    with pytest.raises(ValueError, match="ActivityRegularization expected a non-negative number for l2. Received: l2=-1"):
        layers.ActivityRegularization(l2=-1)
