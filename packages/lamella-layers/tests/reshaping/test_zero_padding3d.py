"""``ZeroPadding3D`` against Keras 3."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lamella import layers
from lamella.testing import check_layer

SHAPE = (1, 5, 4, 6, 2)


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("padding", [1, (1, 0, 2), ((0, 1), (1, 1), (2, 3))])
def test_zero_padding3d_matches_keras(twins, random_input, padding, data_format):
    x = random_input(*SHAPE)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare("ZeroPadding3D", dict(padding=padding, data_format=data_format), x, rtol=0, atol=0)


def test_zero_padding3d_keeps_the_layer_contract():
    check_layer(layers.ZeroPadding3D, {"padding": 1}, input_shape=SHAPE, registered_as="ZeroPadding3D")


def test_the_border_is_zero_and_the_inside_is_the_input(random_input):
    x = random_input(*SHAPE)
    out = np.asarray(layers.ZeroPadding3D(1)(x))
    inner = out[(slice(None),) + (slice(1, -1),) * 3]
    np.testing.assert_array_equal(inner, x)
    assert out.sum() == pytest.approx(x.sum(), rel=1e-5)


@settings(max_examples=15, deadline=None)
@given(before=st.integers(0, 2), after=st.integers(0, 2))
def test_compute_output_shape_matches_the_actual_output(before, after):
    layer = layers.ZeroPadding3D(((before, after), (after, before), (before, before)))
    assert layer.compute_output_shape(SHAPE) == tuple(layer(np.zeros(SHAPE, np.float32)).shape)
    assert layer.compute_output_shape((None,) * len(SHAPE)) == (None,) * len(SHAPE)


@pytest.mark.parametrize("padding", [-1, "1", (1, 2)])
def test_bad_padding_raises_quoting_it(padding):
    with pytest.raises(ValueError, match="ZeroPadding3D expected padding") as error:
        layers.ZeroPadding3D(padding)
    assert f"padding={padding!r}" in str(error.value)
