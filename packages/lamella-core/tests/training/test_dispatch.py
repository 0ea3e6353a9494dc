"""How ``fit`` cuts an epoch into dispatches (``steps_per_execution``), and that every
cut trains exactly the same steps."""

import jax
import numpy as np
import pytest

import lamella
from lamella.engine.sequential import Sequential
from lamella.training import dispatch
from lamella.training.callbacks import Callback
from lamella.training.train_step import StepFunctions


def _fit(linear, plain_sgd, squared_error_loss, rng_seed, callbacks=(), epochs=2, **compile_kwargs):
    rng = np.random.default_rng(rng_seed)
    x = rng.normal(size=(203, 4)).astype(np.float32)  # 12 full batches of 16, then 11
    y = (x @ rng.normal(size=(4, 1))).astype(np.float32)
    lamella.utils.set_random_seed(11)
    model = Sequential([lamella.Input((4,)), linear(1)])
    model.compile(optimizer=plain_sgd(0.05), loss=squared_error_loss, **compile_kwargs)
    history = model.fit(x, y, batch_size=16, epochs=epochs, verbose=0, callbacks=list(callbacks))
    return model, history


class Recorder(Callback):
    """Records the batch index of every ``on_train_batch_end`` call."""

    def __init__(self):
        super().__init__()
        self.batches = []

    def on_train_batch_end(self, batch, logs=None):
        self.batches.append(batch)


class ChunkedRecorder(Recorder):
    accepts_chunked_batches = True
    reads_model_per_batch = False


@pytest.mark.parametrize("per_execution", [1, 5, 12, 50])
def test_every_cut_trains_the_same_steps(per_execution, linear, plain_sgd, squared_error_loss):
    reference, ref_history = _fit(linear, plain_sgd, squared_error_loss, 0, steps_per_execution=1)
    model, history = _fit(
        linear, plain_sgd, squared_error_loss, 0, steps_per_execution=per_execution
    )
    for a, b in zip(reference.get_weights(), model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(history.history["loss"], ref_history.history["loss"], rtol=1e-6)
    assert int(model.optimizer.iterations.value) == 2 * 13


def test_auto_without_batch_hooks_matches_one_step_per_dispatch(linear, plain_sgd, squared_error_loss):
    reference, _ = _fit(linear, plain_sgd, squared_error_loss, 1, steps_per_execution=1)
    model, _ = _fit(linear, plain_sgd, squared_error_loss, 1)
    for a, b in zip(reference.get_weights(), model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    # All 12 full batches ran in one call of the looped program, the last one alone.
    compiled = set(model._engine._functions)
    assert ("train-loop", 16) in compiled and ("train", 11) in compiled
    assert ("train", 16) not in compiled


def test_the_first_epoch_traces_each_batch_size_once(monkeypatch, linear, plain_sgd, squared_error_loss):
    # The engine's check for convolutions, the loop's logs shape and the loop body
    # share one trace of the step (jit's cache); the last, smaller batch has its own.
    traced = []
    original = StepFunctions.train_step

    def counting(self, state, batch):
        traced.append(jax.tree.leaves(batch)[0].shape[0])
        return original(self, state, batch)

    monkeypatch.setattr(StepFunctions, "train_step", counting)
    _, history = _fit(linear, plain_sgd, squared_error_loss, 3)
    assert traced == [16, 11]
    assert history.history["loss"][1] < history.history["loss"][0]


def test_integer_steps_per_execution_calls_hooks_per_chunk(linear, plain_sgd, squared_error_loss):
    recorder = Recorder()
    _fit(linear, plain_sgd, squared_error_loss, 2, callbacks=[recorder], epochs=1, steps_per_execution=5)
    # Chunks of 5, 5 and 2 full batches, then the partial batch: Keras's convention
    # of reporting each chunk's last batch index.
    assert recorder.batches == [4, 9, 11, 12]


def test_auto_gives_every_batch_to_a_hook_that_needs_it(linear, plain_sgd, squared_error_loss):
    recorder = Recorder()
    _fit(linear, plain_sgd, squared_error_loss, 3, callbacks=[recorder], epochs=1)
    assert recorder.batches == list(range(13))


def test_auto_chunks_for_hooks_that_accept_chunks(monkeypatch, linear, plain_sgd, squared_error_loss):
    # A step of this model takes microseconds, so the first timed chunk asks for
    # growth: chunks grow (at most 4x per call) up to the aimed-at time.
    monkeypatch.setattr(dispatch, "CHUNK_SECONDS", 10.0)
    recorder = ChunkedRecorder()
    reference, _ = _fit(linear, plain_sgd, squared_error_loss, 4, steps_per_execution=1)
    model, _ = _fit(linear, plain_sgd, squared_error_loss, 4, callbacks=[recorder], epochs=2)
    first_epoch = recorder.batches[: recorder.batches.index(12) + 1]
    assert first_epoch == [0, 1, 5, 11, 12]  # chunks of 1 (compiling), 1, 4, 6 (the rest), the partial batch
    for a, b in zip(reference.get_weights(), model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_stop_training_from_a_chunked_hook_stops_after_that_chunk(linear, plain_sgd, squared_error_loss):
    class StopAtFive(ChunkedRecorder):
        def on_train_batch_end(self, batch, logs=None):
            super().on_train_batch_end(batch, logs)
            if batch >= 5:
                self.model.stop_training = True

    recorder = StopAtFive()
    model, history = _fit(
        linear, plain_sgd, squared_error_loss, 5, callbacks=[recorder], steps_per_execution=3
    )
    assert recorder.batches == [2, 5]
    assert int(model.optimizer.iterations.value) == 6
    assert len(history.history["loss"]) == 1


class _Snapshot(Callback):
    """Keeps every variable of the training state after batch ``at`` of epoch
    ``epoch``, and the host generator's state at that epoch's start; then
    interrupts ``fit`` (as a killed process would, but in-process)."""

    def __init__(self, epoch, at):
        super().__init__()
        self.epoch, self.at = epoch, at
        self.values = None

    def on_epoch_begin(self, epoch, logs=None):
        from lamella.random.host_rng import host_rng

        self.rng_state = host_rng().bit_generator.state

    def on_train_batch_end(self, batch, logs=None):
        if self.params and self._epoch == self.epoch and batch == self.at:
            self.values = [np.array(v.value) for v in _all_variables(self.model)]
            raise KeyboardInterrupt

    def on_epoch_end(self, epoch, logs=None):
        self._epoch = epoch + 1

    def on_train_begin(self, logs=None):
        self._epoch = 0


class _Restore(Callback):
    """Puts a ``_Snapshot`` back and asks ``fit`` to resume after its batch."""

    def __init__(self, snapshot):
        super().__init__()
        self.snapshot = snapshot

    def on_train_begin(self, logs=None):
        from lamella.random.host_rng import host_rng

        for variable, value in zip(_all_variables(self.model), self.snapshot.values):
            variable.assign(value)
        host_rng().bit_generator.state = self.snapshot.rng_state
        self.model._initial_epoch = self.snapshot.epoch
        self.model._initial_step = self.snapshot.at + 1


def _all_variables(model):
    metrics = [v for m in model.metrics for v in m.variables]
    return [*model.trainable_variables, *model.non_trainable_variables, *model.optimizer.variables, *metrics]


@pytest.mark.parametrize("per_execution", [1, 5, "auto"])
def test_fit_resumes_an_epoch_at_a_step_exactly(per_execution, linear, plain_sgd, squared_error_loss):
    reference, ref_history = _fit(linear, plain_sgd, squared_error_loss, 6, epochs=3, steps_per_execution=per_execution)
    snapshot = _Snapshot(epoch=1, at=9)  # a chunk end for every cut
    with pytest.raises(KeyboardInterrupt):
        _fit(linear, plain_sgd, squared_error_loss, 6, callbacks=[snapshot], epochs=3,
             steps_per_execution=per_execution)
    recorder = Recorder()
    model, history = _fit(
        linear, plain_sgd, squared_error_loss, 6, callbacks=[_Restore(snapshot), recorder], epochs=3,
        steps_per_execution=per_execution,
    )
    # Same batches (the epoch's permutation drawn again from the restored generator),
    # same running metrics: the weights and the resumed epoch's loss are exact.
    for a, b in zip(reference.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert history.history["loss"] == ref_history.history["loss"][1:]
    assert int(model.optimizer.iterations.value) == 3 * 13
    if per_execution in (1, "auto"):  # the hooks see the resumed batch indices
        assert recorder.batches[:3] == [10, 11, 12] and recorder.batches[3:] == list(range(13))


def test_fit_resumes_at_the_last_partial_batch(linear, plain_sgd, squared_error_loss):
    reference, _ = _fit(linear, plain_sgd, squared_error_loss, 7, epochs=2, steps_per_execution=1)
    snapshot = _Snapshot(epoch=0, at=11)  # the next batch is the partial one (11 rows)
    with pytest.raises(KeyboardInterrupt):
        _fit(linear, plain_sgd, squared_error_loss, 7, callbacks=[snapshot], epochs=2, steps_per_execution=1)
    model, _ = _fit(linear, plain_sgd, squared_error_loss, 7, callbacks=[_Restore(snapshot)], epochs=2,
                    steps_per_execution=1)
    for a, b in zip(reference.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("epoch", "step", "message"),
    [(0, 13, "at step 13 of epoch 0: an epoch of this fit has 13 steps"),
     (None, 2, "without model._initial_epoch"),
     (-1, 0, "_initial_epoch must be a non-negative integer")],
)
def test_a_bad_resume_point_is_a_clear_error(epoch, step, message, linear, plain_sgd, squared_error_loss):
    class Resume(Callback):
        def on_train_begin(self, logs=None):
            self.model._initial_epoch, self.model._initial_step = epoch, step

    with pytest.raises(ValueError, match=message):
        _fit(linear, plain_sgd, squared_error_loss, 8, callbacks=[Resume()])


def test_a_resume_point_set_by_a_callback_starts_at_that_epoch(linear, plain_sgd, squared_error_loss):
    class Resume(Callback):
        def on_train_begin(self, logs=None):
            self.model._initial_epoch = 2  # Keras 3's attribute

    recorder = Recorder()
    model, history = _fit(linear, plain_sgd, squared_error_loss, 9, callbacks=[Resume(), recorder], epochs=4)
    assert history.epoch == [2, 3]
    assert int(model.optimizer.iterations.value) == 2 * 13
    assert model._initial_epoch is None  # read once: the next fit starts as asked
