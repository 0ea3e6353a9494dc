"""``Dot`` and ``dot`` against Keras 3: axes, normalize, shapes, errors."""

import numpy as np
import pytest

import lamella
from lamella import layers


@pytest.mark.keras_parity
@pytest.mark.parametrize("normalize", [False, True])
@pytest.mark.parametrize("axes, shapes", [
    (1, [(3, 4), (3, 4)]),
    (-1, [(3, 2, 4), (3, 5, 4)]),
    ((1, 2), [(3, 4, 2), (3, 5, 4)]),
    ((2, 1), [(3, 2, 4), (3, 4, 5)]),
])
def test_dot_matches_keras(twins, random_input, axes, shapes, normalize):
    inputs = [random_input(*s, seed=i) for i, s in enumerate(shapes)]
    twins.compare("Dot", dict(axes=axes, normalize=normalize), inputs, rtol=1e-5, atol=1e-6)


def test_normalized_dot_of_vectors_is_their_cosine_similarity(random_input):
    a, b = random_input(4, 6), random_input(4, 6, seed=1)
    cosine = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    np.testing.assert_allclose(np.asarray(layers.Dot(1, normalize=True)([a, b]))[:, 0], cosine, rtol=1e-5)


def test_batch_matrix_product_shape_and_values(random_input):
    a, b = random_input(2, 3, 4), random_input(2, 4, 5, seed=1)
    out = np.asarray(layers.dot([a, b], axes=(2, 1)))
    np.testing.assert_allclose(out, a @ b, rtol=1e-5, atol=1e-6)
    assert layers.Dot((2, 1)).compute_output_shape([(None, 3, 4), (None, 4, 5)]) == (None, 3, 5)


@pytest.mark.keras_parity
def test_dot_gradients_match_keras(keras, random_input):
    import jax

    a, b = random_input(2, 3, 4), random_input(2, 3, 4, seed=1)
    ours = jax.grad(lambda u, v: layers.Dot(2, normalize=True)([u, v]).sum(), (0, 1))(a, b)
    theirs = jax.grad(lambda u, v: keras.layers.Dot(2, normalize=True)([u, v]).sum(), (0, 1))(a, b)
    for x, y in zip(ours, theirs):
        np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6)


def test_mismatched_axis_sizes_raise_naming_both():
    with pytest.raises(ValueError, match=r"axis values 4 \(at axis 1\) != 5 \(at axis 1\)"):
        layers.Dot(1)([lamella.Input((4,)), lamella.Input((5,))])


@pytest.mark.parametrize("axes", [(1, 2, 3), "1", 1.5, None])
def test_bad_axes_raise_quoting_them(axes):
    with pytest.raises(ValueError, match=r"Dot expected axes") as error:
        layers.Dot(axes)
    assert f"axes={axes!r}" in str(error.value)


def test_batch_axis_cannot_be_contracted_and_two_inputs_are_needed():
    with pytest.raises(ValueError, match="out of range"):
        layers.Dot(0)([np.zeros((2, 3), np.float32)] * 2)
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        layers.Dot(1)([np.zeros((2, 3), np.float32)] * 3)


def test_config_round_trips():
    layer = layers.Dot((1, 2), normalize=True)
    rebuilt = layers.Dot.from_config(layer.get_config())
    assert rebuilt.axes == (1, 2) and rebuilt.normalize is True
