"""``Average`` and ``average`` against Keras 3: broadcasting, shape errors, the
functional form."""

import numpy as np
import pytest

import lamella
from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("shapes", [[(2, 3), (2, 3)], [(2, 3), (2, 1)], [(2, 4, 3), (2, 3)], [(2, 1, 3), (2, 4, 1), (2, 4, 3)]])
def test_average_matches_keras(twins, random_input, shapes):
    inputs = [random_input(*shape, seed=i) for i, shape in enumerate(shapes)]
    ours, out = twins.compare("Average", {}, inputs, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(out, np.mean(_broadcast(inputs), axis=0), rtol=1e-6, atol=1e-6)


@pytest.mark.keras_parity
def test_average_gradients_match_keras(keras, random_input):
    import jax

    a, b = random_input(2, 3), random_input(2, 3, seed=1)
    for layer in (layers.Average(), keras.layers.Average()):
        grads = jax.grad(lambda u, v, layer=layer: layer([u, v]).sum(), argnums=(0, 1))(a, b)
        if isinstance(layer, layers.Average):
            ours = grads
        else:
            for mine, theirs in zip(ours, grads):
                np.testing.assert_allclose(mine, theirs, rtol=1e-6)


def test_functional_average_builds_a_model(random_input):
    a, b = lamella.Input((3,)), lamella.Input((3,))
    out = layers.average([a, b])
    assert tuple(out.shape) == (None, 3)
    model = lamella.Model([a, b], out)
    x, y = random_input(4, 3), random_input(4, 3, seed=1)
    np.testing.assert_allclose(model.predict([x, y], verbose=0), layers.Average()([x, y]), rtol=1e-6)


def test_average_keeps_the_layer_contract():
    layer = layers.Average(name="merge")
    config = layer.get_config()
    rebuilt = layers.deserialize(layers.serialize(layer))
    assert isinstance(rebuilt, layers.Average) and rebuilt.get_config() == config
    assert layer.compute_output_shape([(None, 3), (None, 3)]) == (None, 3)


def test_incompatible_shapes_raise_naming_them():
    with pytest.raises(ValueError, match=r"incompatible shapes.*\(2, 3\).*\(2, 4\)"):
        layers.Average()([np.zeros((2, 3), np.float32), np.zeros((2, 4), np.float32)])
    with pytest.raises(ValueError, match="different batch sizes"):
        layers.Average()([lamella.Input(batch_shape=(2, 3)), lamella.Input(batch_shape=(5, 3))])


def test_a_single_tensor_is_refused():
    with pytest.raises(ValueError, match="Average layer should be called on a list of inputs"):
        layers.Average()(lamella.Input((3,)))


def test_masks_are_combined_with_and():
    m1, m2 = np.array([[True, True, False]]), np.array([[True, False, False]])
    mask = layers.Average().compute_mask([None, None], [m1, m2])
    np.testing.assert_array_equal(mask, [[True, False, False]])
    assert layers.Average().compute_mask([None, None], [None, None]) is None


def _broadcast(inputs):
    """numpy's broadcasting, with lower-rank inputs aligned after the batch axis."""
    rank = max(x.ndim for x in inputs)
    expanded = [x.reshape(x.shape[:1] + (1,) * (rank - x.ndim) + x.shape[1:]) for x in inputs]
    shape = np.broadcast_shapes(*(x.shape for x in expanded))
    return np.stack([np.broadcast_to(x, shape) for x in expanded])
