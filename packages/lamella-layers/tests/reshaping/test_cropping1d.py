"""``Cropping1D`` against Keras 3."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lamella import layers
from lamella.testing import check_layer

SHAPE = (2, 7, 3)


@pytest.mark.keras_parity
@pytest.mark.parametrize("cropping", [1, (0, 2), (2, 3)])
def test_cropping1d_matches_keras(twins, random_input, cropping):
    x = random_input(*SHAPE)
    kwargs = dict(cropping=cropping)
    twins.compare("Cropping1D", kwargs, x, rtol=0, atol=0)


def test_cropping1d_keeps_the_layer_contract():
    check_layer(layers.Cropping1D, {"cropping": 1}, input_shape=SHAPE, registered_as="Cropping1D")


@settings(max_examples=15, deadline=None)
@given(before=st.integers(0, 2), after=st.integers(0, 2))
def test_compute_output_shape_matches_the_actual_output(before, after):
    layer = layers.Cropping1D((before, after))
    x = np.zeros(SHAPE, np.float32)
    assert layer.compute_output_shape(SHAPE) == tuple(layer(x).shape)


def test_cropping_everything_raises_naming_the_layer():
    with pytest.raises(ValueError, match="'crop'.*removes every position"):
        layers.Cropping1D((3, 4), name="crop")(np.zeros(SHAPE, np.float32))


@pytest.mark.parametrize("cropping", [-1, "1", (1, 2, 3)])
def test_bad_cropping_raises_quoting_it(cropping):
    with pytest.raises(ValueError, match="Cropping1D expected cropping") as error:
        layers.Cropping1D(cropping)
    assert f"cropping={cropping!r}" in str(error.value)
