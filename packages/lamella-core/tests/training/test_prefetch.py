"""The prefetching thread: batches reach the consumer already on the device, the
producer runs ahead of the consumer (bounded by ``depth``), and evaluate / predict
on a generator overlap pulling the next batch with computing the current one."""

import threading
import time

import jax
import numpy as np
import pytest

import lamella
from lamella.engine.sequential import Sequential
from lamella.training.callbacks import Callback
from lamella.training.prefetch import Prefetcher

WAIT = 30.0  # seconds: generous, a wait for the thread, never a speed assertion


def _wait_until(condition):
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    return True


class CountingBatches:
    """Batches ``x[i:i+size]``; counts how many the consumer's side has pulled."""

    def __init__(self, x, size, with_targets=False):
        self.x, self.size, self.with_targets = x, size, with_targets
        self.pulled = 0
        self.lock = threading.Lock()

    def __iter__(self):
        for start in range(0, len(self.x), self.size):
            with self.lock:
                self.pulled += 1
            part = self.x[start:start + self.size]
            yield (part, part[:, :1]) if self.with_targets else part

    def count(self):
        with self.lock:
            return self.pulled


def _prepare(raw, index):
    return {"x": np.asarray(raw)}


@pytest.mark.parametrize("chunk_size", [1, 3])
def test_chunks_arrive_on_the_device_with_the_batch_values(chunk_size):
    x = np.arange(40, dtype=np.float32).reshape(10, 4)
    with Prefetcher(iter(CountingBatches(x, 2)), _prepare, chunk_size=chunk_size, depth=2) as feeder:
        chunks = list(feeder)
    device = jax.devices()[0]
    got = []
    for chunk in chunks:
        leaf = chunk.tree["x"]
        assert isinstance(leaf, jax.Array) and leaf.devices() == {device}
        value = np.asarray(leaf)
        got.extend(value[:chunk.count] if chunk.stacked else [value])
    np.testing.assert_array_equal(np.concatenate(got), x)
    assert sum(c.count for c in chunks) == 5


def test_the_producer_runs_ahead_but_no_further_than_its_depth():
    x = np.zeros((40, 2), np.float32)
    batches = CountingBatches(x, 1)
    depth = 2
    with Prefetcher(iter(batches), _prepare, chunk_size=1, depth=depth) as feeder:
        first = next(feeder)
        assert first.first_index == 0
        # Without consuming more, the thread fills the queue and one batch more
        # (the one it holds while waiting for room) ...
        assert _wait_until(lambda: batches.count() >= 1 + depth + 1)
        time.sleep(0.05)
        # ... and then waits: memory stays bounded by the depth.
        assert batches.count() == 1 + depth + 1
        rest = list(feeder)
    assert [c.first_index for c in rest] == list(range(1, 40))


class _AheadCheck(Callback):
    """At each batch's start, waits for the next batch to have been pulled from the
    user's generator: true only when the pulling runs beside the computation."""

    def __init__(self, batches, total, mode):
        super().__init__()
        self.batches, self.total, self.mode = batches, total, mode
        self.ahead = []

    def _check(self, index):
        self.ahead.append(_wait_until(lambda: self.batches.count() >= min(index + 2, self.total)))

    def on_test_batch_begin(self, batch, logs=None):
        if self.mode == "test":
            self._check(batch)

    def on_predict_batch_begin(self, batch, logs=None):
        if self.mode == "predict":
            self._check(batch)


def test_predict_on_a_generator_pulls_the_next_batch_while_computing(linear, rng):
    model = Sequential([lamella.Input((3,)), linear(2)])
    x = rng.normal(size=(24, 3)).astype(np.float32)
    batches = CountingBatches(x, 4)
    check = _AheadCheck(batches, total=6, mode="predict")
    predicted = model.predict(batches, callbacks=[check], verbose=0)
    assert check.ahead == [True] * 6
    np.testing.assert_allclose(predicted, model.predict(x, batch_size=4, verbose=0), rtol=1e-6)


def test_evaluate_on_a_generator_pulls_the_next_batch_while_computing(linear, plain_sgd, squared_error_loss, rng):
    model = Sequential([lamella.Input((3,)), linear(1)])
    model.compile(optimizer=plain_sgd(0.1), loss=squared_error_loss)
    x = rng.normal(size=(24, 3)).astype(np.float32)
    batches = CountingBatches(x, 4, with_targets=True)
    check = _AheadCheck(batches, total=6, mode="test")
    loss = model.evaluate(batches, callbacks=[check], verbose=0)
    assert check.ahead == [True] * 6
    assert loss == pytest.approx(model.evaluate(x, x[:, :1], batch_size=4, verbose=0), rel=1e-5)
