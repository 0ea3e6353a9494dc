"""Masks travel through Sequential and functional models, also inside compiled steps."""

import jax
import jax.numpy as jnp
import numpy as np

import lamella
from lamella.engine.layer import Layer
from lamella.engine.masking import call_with_mask, has_mask
from lamella.engine.sequential import Sequential
from lamella.testing import PlainSGD, squared_error


class PadMask(Layer):
    """Emits the mask ``x[..., 0] != 0`` and passes x on."""

    def call(self, x):
        return x

    def compute_mask(self, inputs, mask=None):
        return jnp.asarray(inputs)[..., 0] != 0


class Scale(Layer):
    """Multiplies by 2 and passes masks on (like Dense)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, x):
        return x * 2


class Opaque(Layer):
    """A layer that does not support masking: the mask stops here."""

    def call(self, x):
        return x


class MaskedSum(Layer):
    """Sums the kept timesteps; records whether it saw a mask."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.saw_mask = None

    def call(self, x, mask=None):
        self.saw_mask = mask is not None
        if mask is None:
            return jnp.sum(x, axis=1)
        return jnp.sum(jnp.where(mask[..., None], x, 0.0), axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[2])


def _data():
    x = np.arange(1, 13, dtype=np.float32).reshape(2, 3, 2)
    x[0, 2] = 0.0  # the last timestep of sample 0 is padding
    x[1, 0] = 0.0
    return x


def _expected(x, scale=2.0):
    keep = x[..., 0] != 0
    return np.sum(np.where(keep[..., None], x * scale, 0.0), axis=1)


def test_sequential_hands_the_mask_to_the_layer_that_takes_it():
    x = _data()
    total = MaskedSum()
    model = Sequential([lamella.Input((3, 2)), PadMask(), Scale(), total])
    np.testing.assert_allclose(model(x), _expected(x))
    assert total.saw_mask


def test_a_layer_without_masking_support_drops_the_mask():
    x = _data()
    total = MaskedSum()
    model = Sequential([lamella.Input((3, 2)), PadMask(), Opaque(), total])
    np.testing.assert_allclose(model(x), np.sum(x, axis=1))
    assert total.saw_mask is False


def test_functional_models_propagate_masks_along_the_graph():
    x = _data()
    inputs = lamella.Input((3, 2))
    scaled = Scale()(PadMask()(inputs))
    model = lamella.Model(inputs, MaskedSum()(scaled))
    np.testing.assert_allclose(model(x), _expected(x))


def test_masks_propagate_inside_the_compiled_predict_and_fit_steps():
    x = _data()
    model = Sequential([lamella.Input((3, 2)), PadMask(), Scale(), MaskedSum()])
    np.testing.assert_allclose(model.predict(x, verbose=0), _expected(x))
    model.compile(optimizer=PlainSGD(0.1), loss=squared_error)
    loss = model.evaluate(x, _expected(x), verbose=0)
    assert loss == 0.0


def test_a_nested_model_reports_its_output_mask():
    x = _data()
    inner = Sequential([lamella.Input((3, 2)), PadMask(), Scale()])
    total = MaskedSum()
    outer = Sequential([lamella.Input((3, 2)), inner, total])
    np.testing.assert_allclose(outer(x), _expected(x))
    assert total.saw_mask
    np.testing.assert_array_equal(inner.compute_mask(x), x[..., 0] != 0)


def test_call_with_mask_returns_the_output_mask_under_jit():
    x = _data()
    layer = PadMask()

    @jax.jit
    def run(x):
        return call_with_mask(layer, x)

    outputs, mask = run(x)
    np.testing.assert_array_equal(mask, x[..., 0] != 0)
    np.testing.assert_allclose(outputs, x)
    assert has_mask([None, mask]) and not has_mask([None, {"a": None}])


class SumUnmasked(Layer):
    """Sums the unmasked timesteps: shows which mask reached ``call``."""

    def call(self, x, mask=None):
        if mask is None:
            return x.sum(axis=1)
        return (x * mask[..., None]).sum(axis=1)


def test_an_explicit_mask_none_in_call_kwargs_keeps_the_propagated_mask():
    # Configs written by Keras record ``mask: null`` among a node's call kwargs.
    x = np.ones((1, 3, 2), np.float32)
    propagated = np.array([[True, True, False]])
    out, _ = call_with_mask(SumUnmasked(), x, propagated, mask=None)
    np.testing.assert_allclose(out, [[2.0, 2.0]])
    explicit = np.array([[True, False, False]])
    out, _ = call_with_mask(SumUnmasked(), x, propagated, mask=explicit)
    np.testing.assert_allclose(out, [[1.0, 1.0]])
