"""The host stage: string layers run in the input pipeline, not in the compiled step."""

import numpy as np
import pytest

import lamella
from lamella.engine import call_context
from lamella.engine.layer import Layer
from lamella.engine.sequential import Sequential
from lamella.training.host_stage import HostStage


class WordCounts(Layer):
    """Strings -> (number of words, number of characters), on the host with numpy."""

    runs_on_host = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = 0

    def host_apply(self, x):
        self.calls += 1
        x = np.asarray(x).reshape(-1)
        words = np.char.count(np.char.strip(x.astype(str)), " ") + 1
        return np.stack([words, np.char.str_len(x.astype(str))], axis=-1).astype(np.float32)

    def call(self, inputs):
        if call_context.host_stage_done():
            return inputs
        return self.host_apply(inputs)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 2)


TEXTS = np.array(["a b c", "hello", "one two", "x y z w", "lamella", "to be or not"])


def _targets():
    counts = WordCounts().host_apply(TEXTS)
    return counts @ np.array([[2.0], [-0.5]], np.float32) + 1.0


@pytest.fixture(autouse=True)
def _seeded():
    lamella.utils.set_random_seed(0)


def _compile(model, linear_loss, sgd, rate=0.01):
    model.compile(optimizer=sgd(rate), loss=linear_loss)
    return model


def test_sequential_fits_raw_strings_in_memory(linear, plain_sgd, squared_error_loss):
    counts = WordCounts()
    model = Sequential([lamella.Input((1,), dtype="string"), counts, linear(1)])
    _compile(model, squared_error_loss, plain_sgd)
    history = model.fit(TEXTS, _targets(), batch_size=3, epochs=400, verbose=0)
    assert history.history["loss"][-1] < 0.05
    # In memory, the host layer runs once per fit (not per batch, not per epoch).
    assert counts.calls == 1
    np.testing.assert_allclose(model.predict(TEXTS, verbose=0), _targets(), atol=0.3)
    # Called directly, the model computes on strings eagerly too.
    np.testing.assert_allclose(model(TEXTS[:, None]), model.predict(TEXTS, verbose=0), rtol=1e-5)


def test_functional_model_fits_strings_from_a_generator(linear, plain_sgd, squared_error_loss):
    text = lamella.Input((1,), dtype="string", name="text")
    counts = WordCounts()
    model = lamella.Model(text, linear(1)(counts(text)))
    _compile(model, squared_error_loss, plain_sgd, rate=0.02)
    y = _targets()

    def batches():
        while True:
            for i in range(0, 6, 2):
                yield TEXTS[i:i + 2, None], y[i:i + 2]

    history = model.fit(batches(), steps_per_epoch=3, epochs=60, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 10
    assert counts.calls >= 180  # once per batch, in the prefetching thread
    # evaluate on the arrays agrees with the model applied by hand
    expected = np.mean((model.predict(TEXTS, verbose=0) - y) ** 2)
    np.testing.assert_allclose(model.evaluate(TEXTS, y, verbose=0), expected, rtol=1e-5)


def test_strings_without_a_host_layer_are_refused_clearly(linear, plain_sgd, squared_error_loss):
    model = Sequential([lamella.Input((1,)), linear(1)])
    _compile(model, squared_error_loss, plain_sgd)
    with pytest.raises(ValueError, match="x holds strings .*TextVectorization, StringLookup or Hashing"):
        model.fit(TEXTS[:, None], _targets(), verbose=0)


def test_a_host_layer_after_device_layers_is_refused(linear):
    model = Sequential([lamella.Input((2,)), linear(2), WordCounts(name="late")])
    with pytest.raises(ValueError, match="Layer 'late' .*must come first"):
        HostStage.of(model)


def test_a_subclassed_model_with_a_host_layer_is_refused(linear):
    class Sub(lamella.Model):
        def __init__(self):
            super().__init__()
            self.counts = WordCounts(name="counts")
            self.out = linear(1)

        def call(self, x):
            return self.out(self.counts(x))

    with pytest.raises(ValueError, match="subclassed and uses layer 'counts'.*Apply the layer"):
        HostStage.of(Sub())


def test_string_dtype_is_canonical():
    from lamella.backend.dtypes import is_string_dtype, standardize_dtype

    for name in ("string", "str", str, np.dtype("<U3")):
        assert standardize_dtype(name) == "string"
        assert is_string_dtype(name)
    assert not is_string_dtype("float32") and not is_string_dtype("") and not is_string_dtype("uint8")
    with pytest.raises(ValueError, match="Invalid dtype"):
        standardize_dtype("")
    assert lamella.Input((1,), dtype="string").dtype == "string"
