"""Normalization and Rescaling against Keras 3 and numpy."""

import numpy as np
import pytest

import lamella
from lamella import layers
from lamella.testing import check_layer

RNG = np.random.default_rng(0)
X = (RNG.normal(size=(64, 5, 3)) * [1.0, 3.0, 10.0] + [0.0, 5.0, -2.0]).astype(np.float32)


@pytest.mark.keras_parity
@pytest.mark.parametrize("axis", [-1, (1, 2), None, 1])
def test_adapt_matches_keras(keras, axis):
    ours, theirs = layers.Normalization(axis=axis), keras.layers.Normalization(axis=axis)
    ours.adapt(X)
    theirs.adapt(X)
    np.testing.assert_allclose(ours(X), theirs(X), rtol=1e-4, atol=1e-5)
    keep = () if axis is None else (axis if isinstance(axis, tuple) else (axis,))
    reduce = tuple(a for a in range(3) if a not in {k % 3 for k in keep})
    np.testing.assert_allclose(np.asarray(ours(X)).mean(axis=reduce), 0, atol=1e-4)


@pytest.mark.keras_parity
def test_given_statistics_and_invert_match_keras(keras):
    kwargs = {"mean": [0.0, 5.0, -2.0], "variance": [1.0, 9.0, 100.0]}
    np.testing.assert_allclose(layers.Normalization(**kwargs)(X), keras.layers.Normalization(**kwargs)(X), rtol=1e-5)
    inverse = layers.Normalization(invert=True, **kwargs)
    np.testing.assert_allclose(inverse(layers.Normalization(**kwargs)(X)), X, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(inverse(X), keras.layers.Normalization(invert=True, **kwargs)(X), rtol=1e-5)


def test_adapt_over_batches_equals_adapt_at_once():
    at_once, batched = layers.Normalization(), layers.Normalization()
    at_once.adapt(X)
    batched.adapt(iter([X[:10], X[10:40], X[40:]]))
    np.testing.assert_allclose(batched.adapt_mean.value, at_once.adapt_mean.value, rtol=1e-5)
    np.testing.assert_allclose(batched.adapt_variance.value, at_once.adapt_variance.value, rtol=1e-5)
    np.testing.assert_allclose(at_once.adapt_variance.value, X.reshape(-1, 3).var(axis=0), rtol=1e-5)


def test_statistics_are_weights_used_inside_a_compiled_model():
    norm = layers.Normalization()
    norm.adapt(X.reshape(-1, 3))
    model = lamella.Sequential([lamella.Input((3,)), norm])
    out = model.predict(X.reshape(-1, 3), verbose=0)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-4)
    np.testing.assert_allclose(out.std(axis=0), 1, atol=1e-3)
    assert [w.name for w in norm.non_trainable_weights] == ["mean", "variance"]
    check_layer(layers.Normalization, {"mean": 1.0, "variance": 4.0}, input_shape=(4, 2),
                registered_as="Normalization")


def test_normalization_errors():
    with pytest.raises(ValueError, match="both mean and variance, or neither"):
        layers.Normalization(mean=1.0)
    with pytest.raises(ValueError, match="axis 3 is out of range for inputs of rank 2"):
        layers.Normalization(axis=3)(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="nothing to adapt"):
        layers.Normalization(mean=0.0, variance=1.0).adapt(np.zeros((2, 1)))
