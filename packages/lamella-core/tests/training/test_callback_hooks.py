"""What the engine does for callbacks: variables they assign before an epoch are
trained from, the progress bar costs no per-batch sync unless it draws, and chunks
end where a callback asks for its hook."""

import io

import numpy as np
import pytest

import lamella
from lamella.engine.sequential import Sequential
from lamella.training import dispatch, logs
from lamella.training.callbacks import Callback, ProgbarLogger


class Terminal(io.StringIO):
    def isatty(self):
        return True


def _model(linear, plain_sgd, squared_error_loss, rate=0.05):
    lamella.utils.set_random_seed(3)
    model = Sequential([lamella.Input((3,)), linear(1)])
    model.compile(optimizer=plain_sgd(rate), loss=squared_error_loss)
    return model


def _data(n=100):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 3)).astype(np.float32)
    return x, (x @ np.array([[1.0], [-2.0], [0.5]], np.float32))


@pytest.fixture
def count_reads(monkeypatch):
    """Counts the batch-log reads callbacks make (each one waits for the device)."""
    reads = []
    getitem, materialize = logs.DeviceLogs.__getitem__, logs.DeviceLogs.materialize

    def counted_getitem(self, key):
        reads.append(key)
        return getitem(self, key)

    def counted_materialize(self):
        reads.append("*")
        return materialize(self)

    monkeypatch.setattr(logs.DeviceLogs, "__getitem__", counted_getitem)
    monkeypatch.setattr(logs.DeviceLogs, "materialize", counted_materialize)
    return reads


def test_a_learning_rate_set_in_on_epoch_begin_applies_to_that_epoch(linear, plain_sgd, squared_error_loss):
    class FreezeSecondEpoch(Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.model.optimizer.learning_rate = 0.0 if epoch == 1 else 0.05

        def on_epoch_end(self, epoch, logs=None):
            self.weights = getattr(self, "weights", []) + [self.model.get_weights()]

    x, y = _data()
    model = _model(linear, plain_sgd, squared_error_loss)
    recorder = FreezeSecondEpoch()
    model.fit(x, y, epochs=3, batch_size=10, verbose=0, callbacks=[recorder])
    first, second, third = recorder.weights
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)  # rate 0: the second epoch changed nothing
    assert not np.allclose(second[0], third[0])


def test_weights_set_in_on_train_begin_are_trained_from(linear, plain_sgd, squared_error_loss):
    class StartFromZero(Callback):
        def on_train_begin(self, logs=None):
            self.model.set_weights([np.zeros((3, 1), np.float32), np.zeros((1,), np.float32)])

    x, y = _data(10)
    model = _model(linear, plain_sgd, squared_error_loss, rate=0.1)
    model.fit(x, y, epochs=1, batch_size=10, verbose=0, callbacks=[StartFromZero()])
    # One full-batch gradient step from zero: w = 0.1 * 2/n * x^T y.
    expected = 0.1 * 2.0 / 10 * x.T @ y
    np.testing.assert_allclose(model.get_weights()[0], expected, rtol=1e-5)


def test_fit_with_history_and_a_non_terminal_progress_bar_reads_no_batch_logs(
    count_reads, linear, plain_sgd, squared_error_loss, capsys
):
    x, y = _data(200)
    model = _model(linear, plain_sgd, squared_error_loss)
    history = model.fit(x, y, epochs=3, batch_size=10, verbose=1)
    assert count_reads == []
    assert len(history.history["loss"]) == 3
    # No batch hooks at all: each epoch is one dispatch of the looped program.
    assert ("train-loop", 10) in model._engine._functions
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[0].startswith("Epoch 1/3 - 20/20 - ")
    assert lines[2].startswith("Epoch 3/3 - 20/20 - ") and "- loss: " in lines[2]


def test_a_live_bar_reads_batch_logs_only_when_it_redraws(
    count_reads, monkeypatch, linear, plain_sgd, squared_error_loss
):
    x, y = _data(200)
    model = _model(linear, plain_sgd, squared_error_loss)
    stream = Terminal()
    monkeypatch.setattr(dispatch, "CHUNK_SECONDS", 0.0)  # a dispatch per step: the worst case
    # An interval no run reaches: the bar never redraws before the epoch's end.
    monkeypatch.setattr("lamella.training.progbar.Progbar.due", lambda self: False)
    model.fit(x, y, epochs=2, batch_size=10, verbose=1, callbacks=[ProgbarLogger(stream=stream)])
    assert count_reads == []
    output = stream.getvalue()
    assert output.startswith("Epoch 1/2\n\r20/20 [==============================]")
    assert output.count("\n") == 4


def test_a_live_bar_shows_the_running_loss_when_due(
    count_reads, monkeypatch, linear, plain_sgd, squared_error_loss
):
    x, y = _data(200)
    model = _model(linear, plain_sgd, squared_error_loss)
    stream = Terminal()
    monkeypatch.setattr(dispatch, "CHUNK_SECONDS", 0.0)
    model.fit(x, y, epochs=1, batch_size=10, verbose=1, callbacks=[ProgbarLogger(stream=stream)])
    redraws = stream.getvalue().count("\r")
    assert 1 <= redraws <= 21
    assert len(count_reads) <= redraws  # one read (all logs at once) per redraw at most
    assert "ETA" in stream.getvalue() or redraws == 1


def test_chunks_end_where_a_callback_wants_its_hook(monkeypatch, linear, plain_sgd, squared_error_loss):
    class EveryFourth(Callback):
        accepts_chunked_batches = True
        reads_model_per_batch = False

        def __init__(self):
            super().__init__()
            self.seen = []
            self.done = 0

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            self.seen.append((self.epoch, batch))

        def steps_to_next_batch_hook(self, steps_done):
            return 4 - steps_done % 4

    monkeypatch.setattr(dispatch, "CHUNK_SECONDS", 10.0)  # chunks would grow to the epoch
    x, y = _data(100)
    callback = EveryFourth()
    model = _model(linear, plain_sgd, squared_error_loss)
    model.fit(x, y, epochs=2, batch_size=10, verbose=0, callbacks=[callback])
    # 10 batches per epoch; hooks after steps 1, 2 (the first chunks are timed), then
    # at every multiple of 4 counted over the whole fit (steps 4, 8 | 12, 16, 20).
    assert callback.seen == [(0, 0), (0, 1), (0, 3), (0, 7), (0, 9), (1, 1), (1, 5), (1, 9)]
    assert int(model.optimizer.iterations.value) == 20


class _ZeroWeightsWhileTesting(Callback):
    """Assigns zero weights between on_test_begin and on_test_end (as SwapEMAWeights
    assigns the moving averages), recording the hooks it sees."""

    reads_model_per_batch = False

    def __init__(self):
        super().__init__()
        self.calls = []

    def on_test_begin(self, logs=None):
        self.calls.append("test_begin")
        self.kept = [v.value for v in self.model.trainable_variables]
        for v in self.model.trainable_variables:
            v.assign(np.zeros(v.shape, np.float32))

    def on_test_end(self, logs=None):
        self.calls.append(("test_end", sorted(logs)))
        for v, value in zip(self.model.trainable_variables, self.kept):
            v.assign(value)

    def on_predict_begin(self, logs=None):
        self.on_test_begin(logs)

    def on_predict_end(self, logs=None):
        self.on_test_end({})

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append("epoch_end")


def test_fit_validates_between_on_test_begin_and_on_test_end(linear, plain_sgd, squared_error_loss):
    x, y = _data()
    reference = _model(linear, plain_sgd, squared_error_loss)
    ref_history = reference.fit(x, y, validation_split=0.2, epochs=2, verbose=0)
    model = _model(linear, plain_sgd, squared_error_loss)
    swapper = _ZeroWeightsWhileTesting()
    history = model.fit(x, y, validation_split=0.2, epochs=2, verbose=0, callbacks=[swapper])
    assert swapper.calls == ["test_begin", ("test_end", ["loss"]), "epoch_end"] * 2
    # Validation ran with the zero weights (the loss of predicting 0), training
    # went on with the real ones.
    y_val = y[80:]
    np.testing.assert_allclose(history.history["val_loss"], [np.mean(y_val**2)] * 2, rtol=1e-5)
    np.testing.assert_array_equal(history.history["loss"], ref_history.history["loss"])
    for a, b in zip(reference.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_evaluate_and_predict_use_weights_assigned_in_their_begin_hooks(linear, plain_sgd, squared_error_loss):
    x, y = _data()
    model = _model(linear, plain_sgd, squared_error_loss)
    model.fit(x, y, epochs=1, verbose=0)
    swapper = _ZeroWeightsWhileTesting()
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0, callbacks=[swapper]), np.mean(y**2), rtol=1e-5)
    np.testing.assert_array_equal(model.predict(x, verbose=0, callbacks=[swapper]), np.zeros((100, 1)))
    # And the model's own weights are back afterwards.
    assert np.abs(model.predict(x, verbose=0)).sum() > 0
