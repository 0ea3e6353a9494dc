"""evaluate and predict carry non-trainable state from batch to batch (stateful
layers), and a fixed input batch size is the default and the only one allowed."""

import jax.numpy as jnp
import numpy as np
import pytest

import lamella
from lamella.engine.layer import Layer
from lamella.engine.sequential import Sequential
from lamella.testing import PlainSGD, squared_error


class RunningSum(Layer):
    """Adds each sample to a per-row total carried across calls (a stateful layer)."""

    def build(self, input_shape):
        self.total = self.add_weight(
            name="total", shape=(input_shape[0], input_shape[1]), initializer="zeros",
            trainable=False,
        )
        self.total._is_layer_state = True

    def call(self, x):
        total = self.total.value + x
        self.total.assign(total)
        return total

    def reset_states(self):
        self.total.assign(jnp.zeros(self.total.shape))


def _model(batch=2):
    return Sequential([lamella.Input((3,), batch_size=batch), RunningSum()])


def test_predict_carries_the_state_across_batches_and_keeps_it():
    x = np.arange(24, dtype=np.float32).reshape(8, 3)
    model = _model()
    out = model.predict(x, verbose=0)
    # Row i of batch k is the sum of rows i of batches 0..k.
    expected = np.cumsum(x.reshape(4, 2, 3), axis=0).reshape(8, 3)
    np.testing.assert_allclose(out, expected)
    np.testing.assert_allclose(model.layers[0].total.value, expected[-2:])
    again = model.predict(x[:2], verbose=0)
    np.testing.assert_allclose(again, expected[-2:] + x[:2])


def test_model_reset_states_restarts_from_zero():
    x = np.ones((4, 3), np.float32)
    model = _model()
    model.predict(x, verbose=0)
    model.reset_states()
    np.testing.assert_allclose(model.predict(x[:2], verbose=0), x[:2])


class StatelessRecurrent(Layer):
    """Has reset_states but stateful=False, like a plain LSTM: model.reset_states
    must leave it alone."""

    stateful = False

    def call(self, x):
        return x

    def reset_states(self):
        raise AttributeError("not stateful")


def test_model_reset_states_skips_layers_that_are_not_stateful():
    x = np.ones((2, 3), np.float32)
    model = Sequential([lamella.Input((3,), batch_size=2), RunningSum(), StatelessRecurrent()])
    model.predict(x, verbose=0)
    model.reset_states()
    np.testing.assert_allclose(model.layers[0].total.value, np.zeros((2, 3)))


def test_evaluate_carries_the_state_and_writes_it_back():
    x = np.ones((4, 3), np.float32)
    model = _model()
    model.compile(optimizer=PlainSGD(0.1), loss=squared_error)
    # Batch 0 predicts 1, batch 1 predicts 2: against targets 2 only batch 0 errs.
    loss = model.evaluate(x, np.full((4, 3), 2.0, np.float32), verbose=0)
    np.testing.assert_allclose(loss, 0.5)
    np.testing.assert_allclose(model.layers[0].total.value, np.full((2, 3), 2.0))


def test_state_variables_are_not_weights():
    model = _model()
    assert model.weights == [] and model.get_weights() == []
    assert len(model.non_trainable_variables) == 1


def test_fixed_batch_size_is_the_default_and_must_divide_the_data():
    model = _model(batch=4)
    assert model.predict(np.ones((8, 3), np.float32), verbose=0).shape == (8, 3)
    with pytest.raises(ValueError, match="fixed batch size of 4.*multiple of 4. Received 6"):
        model.predict(np.ones((6, 3), np.float32), verbose=0)
    with pytest.raises(ValueError, match="fixed batch size of 4.*batch_size=2"):
        model.predict(np.ones((8, 3), np.float32), batch_size=2, verbose=0)


class Offset(Layer):
    """Adds a non-trainable vector that no call assigns (like batch-norm statistics
    at inference)."""

    def build(self, input_shape):
        self.offset = self.add_weight(
            name="offset", shape=(input_shape[-1],), initializer="ones", trainable=False
        )

    def call(self, x):
        return x + self.offset.value


def _generator(x, batch):
    for start in range(0, len(x), batch):
        yield x[start:start + batch]


@pytest.mark.parametrize("stream", [False, True], ids=["arrays", "generator"])
def test_inference_returns_only_the_state_a_layer_assigned(stream):
    # An unassigned value comes back from the step only as a device copy, so
    # evaluate and predict keep the variable's own array; assigned state moves on.
    x = np.ones((4, 3), np.float32)
    model = Sequential([lamella.Input((3,), batch_size=2), Offset(), RunningSum()])
    model.compile(optimizer=PlainSGD(0.1), loss=squared_error)
    offset, total = model.layers[0].offset, model.layers[1].total
    kept = offset.value
    out = model.predict(_generator(x, 2) if stream else x, verbose=0)
    np.testing.assert_allclose(out[2:], 4 * np.ones((2, 3)))
    assert offset.value is kept
    np.testing.assert_allclose(total.value, 4 * np.ones((2, 3)))
    if stream:
        model.evaluate(((batch, batch) for batch in _generator(x, 2)), verbose=0)
    else:
        model.evaluate(x, x, batch_size=2, verbose=0)
    assert offset.value is kept
    np.testing.assert_allclose(total.value, 8 * np.ones((2, 3)))
