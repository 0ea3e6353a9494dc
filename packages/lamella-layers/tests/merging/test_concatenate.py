"""``Concatenate`` and ``concatenate`` against Keras 3."""

import numpy as np
import pytest

import lamella
from lamella import layers


@pytest.mark.keras_parity
@pytest.mark.parametrize("axis, shapes", [
    (-1, [(2, 3), (2, 4)]),
    (1, [(2, 3, 4), (2, 1, 4), (2, 2, 4)]),
    (2, [(2, 3, 1), (2, 3, 5)]),
    (-2, [(2, 2, 3), (2, 4, 3)]),
])
def test_concatenate_matches_keras(twins, random_input, axis, shapes):
    inputs = [random_input(*s, seed=i) for i, s in enumerate(shapes)]
    _, out = twins.compare("Concatenate", dict(axis=axis), inputs, rtol=0, atol=0)
    np.testing.assert_array_equal(out, np.concatenate(inputs, axis=axis))


@pytest.mark.keras_parity
@pytest.mark.parametrize("shapes", [[(None, 3), (None, 4)], [(None, None, 4), (None, 2, 4)]])
def test_symbolic_shapes_match_keras(keras, shapes):
    axis = 1 if len(shapes[0]) == 3 else -1
    ours = layers.concatenate([lamella.Input(batch_shape=s) for s in shapes], axis=axis)
    theirs = keras.layers.concatenate([keras.Input(batch_shape=s) for s in shapes], axis=axis)
    assert tuple(ours.shape) == tuple(theirs.shape)


def test_shapes_that_differ_off_the_axis_raise_naming_them():
    with pytest.raises(ValueError, match=r"matching shapes except for the concatenation axis.*\(2, 3, 4\).*\(2, 5, 5\)"):
        layers.Concatenate()([np.zeros((2, 3, 4), np.float32), np.zeros((2, 5, 5), np.float32)])
    with pytest.raises(ValueError, match="matching shapes"):
        layers.Concatenate()([lamella.Input((3,)), lamella.Input((3, 1))])


def test_axis_out_of_range_and_bad_axis_raise():
    with pytest.raises(ValueError, match="axis=3 is out of range"):
        layers.Concatenate(axis=3)([np.zeros((2, 3), np.float32)] * 2)
    with pytest.raises(ValueError, match="axis='1'"):
        layers.Concatenate(axis="1")


def test_masks_are_concatenated_like_the_inputs():
    x1, x2 = np.zeros((1, 2, 3), np.float32), np.zeros((1, 3, 3), np.float32)
    mask = layers.Concatenate(axis=1).compute_mask([x1, x2], [np.array([[True, False]]), None])
    np.testing.assert_array_equal(mask, [[True, False, True, True, True]])


def test_config_round_trips():
    layer = layers.Concatenate(axis=1, name="join")
    rebuilt = layers.deserialize(layers.serialize(layer))
    assert rebuilt.axis == 1 and rebuilt.get_config() == layer.get_config()
