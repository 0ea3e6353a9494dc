"""``Reshape`` against Keras 3, with -1 and unknown sizes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lamella
from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("target", [(6, 2), (-1,), (3, -1), (2, 3, 2)])
def test_reshape_matches_keras(twins, random_input, target):
    twins.compare("Reshape", dict(target_shape=target), random_input(2, 3, 4), rtol=0, atol=0)


@pytest.mark.keras_parity
@pytest.mark.parametrize("shape", [(None, 3, 4), (None, None, 4), (5, 12)])
def test_symbolic_shape_matches_keras(keras, shape):
    ours = layers.Reshape((-1, 2))(lamella.Input(batch_shape=shape))
    theirs = keras.layers.Reshape((-1, 2))(keras.Input(batch_shape=shape))
    assert tuple(ours.shape) == tuple(theirs.shape)


def test_reshape_keeps_the_layer_contract():
    check_layer(layers.Reshape, {"target_shape": (4, -1)}, input_shape=(2, 2, 6),
                expected_output_shape=(2, 4, 3), registered_as="Reshape")


@settings(max_examples=20, deadline=None)
@given(dims=st.lists(st.integers(1, 4), min_size=1, max_size=3), infer=st.booleans())
def test_compute_output_shape_matches_the_actual_output(dims, infer):
    size = int(np.prod(dims))
    target = (-1,) if infer else (size,)
    layer = layers.Reshape(target)
    x = np.zeros((2, *dims), np.float32)
    assert layer.compute_output_shape(x.shape) == tuple(layer(x).shape) == (2, size)


@pytest.mark.parametrize("target", [(-1, -1), (0, 2), "12", (2.5,), None])
def test_bad_target_shapes_raise_quoting_them(target):
    with pytest.raises(ValueError, match="Reshape expected target_shape") as error:
        layers.Reshape(target)
    assert f"target_shape={target!r}" in str(error.value)


def test_sizes_that_do_not_match_raise_naming_both_shapes():
    with pytest.raises(ValueError, match=r"'r'.*\(3, 4\).*\(5, -1\)"):
        layers.Reshape((5, -1), name="r")(np.zeros((2, 3, 4), np.float32))
    with pytest.raises(ValueError, match=r"\(3, 4\).*\(5, 2\)"):
        layers.Reshape((5, 2))(np.zeros((2, 3, 4), np.float32))
