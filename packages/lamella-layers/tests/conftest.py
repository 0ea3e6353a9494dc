"""Parity helpers for the layer tests: the same layer in lamella and in Keras 3
(the oracle, on jax), built with the same weights."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lamella import layers


class Twins:
    """Builds lamella/Keras pairs of a layer and compares them."""

    def __init__(self, keras):
        self.keras = keras

    def make(self, name, kwargs, input_shape, keras_kwargs=None, seed=0, positive=()):
        """``(ours, theirs)``: ``layers.<name>(**kwargs)`` and Keras's, built for
        ``input_shape`` with equal random weights (weights named in ``positive``
        drawn in [0.5, 1.5], e.g. variances)."""
        ours = getattr(layers, name)(**kwargs)
        theirs = getattr(self.keras.layers, name)(**(kwargs if keras_kwargs is None else keras_kwargs))
        ours.build_from_shape(input_shape)
        theirs.build(input_shape)
        rng = np.random.default_rng(seed)
        weights = []
        for variable in theirs.weights:
            shape = tuple(variable.shape)
            if variable.name in positive:
                value = rng.uniform(0.5, 1.5, shape)
            else:
                value = rng.normal(size=shape)
            weights.append(value.astype(np.float32))
        ours.set_weights(weights)
        theirs.set_weights(weights)
        return ours, theirs

    def compare(self, name, kwargs, x, rtol=1e-5, atol=1e-5, call_kwargs=None, **make_kwargs):
        """Asserts both layers give the same output on ``x``; returns ours."""
        shape = [np.shape(v) for v in x] if isinstance(x, list) else np.shape(x)
        ours, theirs = self.make(name, kwargs, shape, **make_kwargs)
        call_kwargs = call_kwargs or {}
        expected = np.asarray(theirs(x, **call_kwargs))
        out = np.asarray(ours(x, **call_kwargs))
        assert out.shape == expected.shape, (out.shape, expected.shape)
        np.testing.assert_allclose(out, expected, rtol=rtol, atol=atol)
        computed = ours.compute_output_shape([tuple(s) for s in shape] if isinstance(x, list) else tuple(shape))
        assert tuple(computed) == out.shape
        return ours, out

    def compare_gradients(self, name, kwargs, x, rtol=1e-4, atol=1e-5, **make_kwargs):
        """Asserts the gradients of ``sum(sin(3 * output))`` with respect to the
        trainable weights and the input agree."""
        ours, theirs = self.make(name, kwargs, np.shape(x), **make_kwargs)
        trainable = [jnp.asarray(w) for w in ours.get_weights()[: len(ours.trainable_weights)]]

        def gradient_of(layer):
            non_trainable = [v.value for v in layer.non_trainable_variables]

            def loss(weights, inputs):
                outputs, _ = layer.stateless_call(weights, non_trainable, inputs)
                return jnp.sum(jnp.sin(3.0 * outputs))

            return jax.jit(jax.grad(loss, argnums=(0, 1)))(trainable, jnp.asarray(x))

        (our_weights, our_x), (their_weights, their_x) = gradient_of(ours), gradient_of(theirs)
        np.testing.assert_allclose(our_x, their_x, rtol=rtol, atol=atol)
        for a, b in zip(our_weights, their_weights, strict=True):
            np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)
        assert float(jnp.abs(our_x).sum()) > 0
        return our_weights, our_x


@pytest.fixture
def twins(keras):
    return Twins(keras)


@pytest.fixture
def random_input():
    def make(*shape, seed=0):
        return np.random.default_rng(seed).normal(size=shape).astype(np.float32)

    return make
