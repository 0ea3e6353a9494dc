"""A model's output mask reaches its losses, as in Keras 3: padded timesteps leave the
mean, in ``evaluate`` and in the gradients of ``fit``."""

import jax
import jax.numpy as jnp
import numpy as np

import lamella
from lamella.engine.layer import Layer
from lamella.engine.sequential import Sequential
from lamella.testing import PlainSGD, squared_error
from lamella.training.loss import LossFunctionWrapper


class PadMask(Layer):
    """Emits the mask ``x[..., 0] != 0`` and passes x on."""

    def call(self, x):
        return x

    def compute_mask(self, inputs, mask=None):
        return jnp.asarray(inputs)[..., 0] != 0


class Gain(Layer):
    """``x * w`` with a trainable ``w`` per feature; passes masks on (like Dense)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

    def call(self, x):
        return x * self.w

    def compute_output_shape(self, input_shape):
        return input_shape


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 2)).astype(np.float32) + 3.0
    x[0, 2] = 0.0  # padding: the last timestep of sample 0, the first of sample 1
    x[1, 0] = 0.0
    y = rng.normal(size=(2, 3, 2)).astype(np.float32)
    return x, y


def _masked_mean(w, x, y, sample_weight=None):
    keep = np.asarray(x[..., 0] != 0, np.float32)
    values = jnp.mean(jnp.square(y - x * w), axis=-1)
    weight = keep * keep.size / keep.sum()
    if sample_weight is not None:
        weight = weight * sample_weight[:, None]
    return jnp.sum(values * weight) / values.size


def _model():
    model = Sequential([lamella.Input((3, 2)), PadMask(), Gain()])
    model.compile(optimizer=PlainSGD(0.1), loss=squared_error)
    return model


def test_evaluate_averages_the_loss_over_unmasked_timesteps_only():
    x, y = _data()
    model = _model()
    expected = float(_masked_mean(np.ones(2, np.float32), x, y))
    unmasked = float(np.mean(np.square(y - x)))
    assert abs(expected - unmasked) > 1e-2  # the mask makes a difference here
    np.testing.assert_allclose(model.evaluate(x, y, batch_size=2, verbose=0), expected, rtol=1e-5)


def test_the_mask_combines_with_sample_weights():
    x, y = _data()
    sample_weight = np.array([0.25, 2.0], np.float32)
    expected = float(_masked_mean(np.ones(2, np.float32), x, y, sample_weight))
    loss = _model().evaluate(x, y, sample_weight=sample_weight, batch_size=2, verbose=0)
    np.testing.assert_allclose(loss, expected, rtol=1e-5)


def test_fit_follows_the_gradient_of_the_masked_loss():
    x, y = _data()
    model = _model()
    model.fit(x, y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    w = np.ones(2, np.float32)
    expected = w - 0.1 * np.asarray(jax.grad(_masked_mean)(w, x, y))
    np.testing.assert_allclose(model.get_weights()[0], expected, rtol=1e-5, atol=1e-6)


def test_a_loss_called_with_a_mask_leaves_masked_values_out():
    loss = LossFunctionWrapper(squared_error)
    y_true = np.zeros((2, 3, 1), np.float32)
    y_pred = np.arange(6, dtype=np.float32).reshape(2, 3, 1)
    mask = np.array([[True, True, False], [False, True, True]])
    expected = np.square(y_pred[..., 0])[mask].mean()
    np.testing.assert_allclose(loss(y_true, y_pred, mask=mask), expected, rtol=1e-6)
    np.testing.assert_allclose(loss(y_true, y_pred), np.square(y_pred).mean(), rtol=1e-6)
