"""fit / evaluate / predict fed batch by batch: generators, iterables, PyDataset."""

import warnings

import numpy as np
import pytest

import lamella
from lamella.engine.sequential import Sequential
from lamella.training import stream_loop
from lamella.training.callbacks import Callback
from lamella.utils import PyDataset


def _data(rng, n=96, features=3):
    x = rng.normal(size=(n, features)).astype(np.float32)
    return x, x @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.25


def _model(linear, features=3):
    return Sequential([lamella.Input((features,)), linear(1, name="out")])


class Batches:
    """An iterable of batches (not a list: lists are arrays to fit)."""

    def __init__(self, items):
        self.items = list(items)

    def __iter__(self):
        return iter(self.items)

    def __mul__(self, times):
        return Batches(self.items * times)


def _batches(x, y, size):
    return Batches((x[i:i + size], y[i:i + size]) for i in range(0, len(x), size))


class ArrayBatches(PyDataset):
    def __init__(self, x, y, size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.size = x, y, size
        self.epochs_begun = self.epochs_ended = 0

    def __len__(self):
        return -(-len(self.x) // self.size)

    def __getitem__(self, index):
        part = slice(index * self.size, (index + 1) * self.size)
        return self.x[part], self.y[part]

    def on_epoch_begin(self):
        self.epochs_begun += 1

    def on_epoch_end(self):
        self.epochs_ended += 1


@pytest.mark.parametrize("chunked", [True, False])
def test_generator_fit_equals_in_memory_fit_step_for_step(linear, plain_sgd, squared_error_loss, rng, chunked):
    x, y = _data(rng, n=100)  # 3 batches of 32 and one of 4
    weights = []
    for feed in ("memory", "generator"):
        lamella.utils.set_random_seed(3)
        model = _model(linear)
        model.compile(optimizer=plain_sgd(0.05), loss=squared_error_loss,
                      steps_per_execution="auto" if chunked else 1)
        if feed == "memory":
            history = model.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0)
        else:
            history = model.fit(iter(_batches(x, y, 32).items * 3), steps_per_epoch=4, epochs=3, verbose=0)
        weights.append((model.get_weights(), history.history["loss"]))
    (w_mem, loss_mem), (w_gen, loss_gen) = weights
    for a, b in zip(w_mem, w_gen):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(loss_mem, loss_gen, rtol=1e-5)
    assert int(model.optimizer.iterations.value) == 12


def test_chunks_longer_than_the_epoch_and_uneven_batches(linear, plain_sgd, squared_error_loss, rng):
    x, y = _data(rng, n=50)
    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.05), loss=squared_error_loss, steps_per_execution=4)
    # 50 = 16 + 16 + 16 + 2: a chunk of three batches, then the short batch alone.
    model.fit(_batches(x, y, 16), epochs=2, verbose=0)
    assert int(model.optimizer.iterations.value) == 8


def test_iterable_restarts_every_epoch_and_learns(linear, plain_sgd, squared_error_loss, rng):
    x, y = _data(rng)
    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.1), loss=squared_error_loss)
    history = model.fit(_batches(x, y, 16), epochs=15, verbose=0)
    assert len(history.history["loss"]) == 15
    assert history.history["loss"][-1] < 1e-3
    np.testing.assert_allclose(model.predict(_batches(x, y, 16), verbose=0), y, atol=0.05)
    assert model.evaluate(_batches(x, y, 16), verbose=0) < 1e-3


def test_pydataset_epoch_hooks_workers_and_shuffled_order(linear, plain_sgd, squared_error_loss, rng):
    x, y = _data(rng)
    seen = []

    class Recording(ArrayBatches):
        def __getitem__(self, index):
            seen.append(index)
            return super().__getitem__(index)

    dataset = Recording(x, y, 16, workers=2, max_queue_size=3)
    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.1), loss=squared_error_loss)
    history = model.fit(dataset, epochs=6, verbose=0, shuffle=True)
    assert dataset.epochs_begun == dataset.epochs_ended == 6
    assert history.history["loss"][-1] < 0.05
    epochs = [seen[1 + 6 * e: 1 + 6 * (e + 1)] for e in range(6)]  # seen[0]: the build peek
    assert all(sorted(order) == list(range(6)) for order in epochs)
    assert len({tuple(order) for order in epochs}) > 1  # a new order each epoch
    seen.clear()
    model.fit(dataset, epochs=1, verbose=0, shuffle=False)
    assert seen[1:] == list(range(6))


def test_steps_per_epoch_continues_an_endless_generator(linear, plain_sgd, squared_error_loss, rng):
    x, y = _data(rng)
    taken = []

    def endless():
        index = 0
        while True:
            taken.append(index)
            yield x[:8] + index, y[:8]
            index += 1

    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.01), loss=squared_error_loss, steps_per_execution=1)
    model.fit(endless(), steps_per_epoch=5, epochs=3, verbose=0)
    assert int(model.optimizer.iterations.value) == 15
    # The epochs took consecutive batches (a few more may have been prefetched).
    assert taken[:15] == list(range(15))


def test_a_generator_that_ends_stops_training_with_a_warning(linear, plain_sgd, squared_error_loss, rng):
    x, y = _data(rng, n=64)
    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.01), loss=squared_error_loss)
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(iter(_batches(x, y, 16).items), epochs=3, verbose=0)
    assert len(history.history["loss"]) == 1
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(iter(_batches(x, y, 16).items), steps_per_epoch=3, epochs=3, verbose=0)
    # 4 batches: the second epoch ran dry after one step, the third got none.
    assert len(history.history["loss"]) == 2
    assert int(model.optimizer.iterations.value) == 4 + 4


def test_validation_data_as_generator_and_arrays(linear, plain_sgd, squared_error_loss, rng):
    x, y = _data(rng)
    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.1), loss=squared_error_loss)
    history = model.fit(_batches(x, y, 16), validation_data=_batches(x, y, 32), epochs=3, verbose=0)
    expected = model.evaluate(x, y, verbose=0)
    np.testing.assert_allclose(history.history["val_loss"][-1], expected, rtol=1e-5)
    history = model.fit(_batches(x, y, 16), validation_data=(x, y), epochs=1, verbose=0)
    assert "val_loss" in history.history
    history = model.fit(x, y, validation_data=ArrayBatches(x, y, 20), epochs=1, verbose=0)
    np.testing.assert_allclose(history.history["val_loss"][-1], model.evaluate(x, y, verbose=0), rtol=1e-5)


def test_sample_weights_and_class_weight_per_batch(linear, plain_sgd, squared_error_loss, rng):
    x, y = _data(rng, n=32)
    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.0), loss=squared_error_loss)
    weights = np.zeros(32, np.float32)
    weights[:8] = 1
    weighted = model.evaluate(Batches([(x, y, weights)]), verbose=0)
    assert np.isclose(weighted, model.evaluate(x[:8], y[:8], verbose=0) * 8 / 32, rtol=1e-5)
    labels = (y > 0.25).astype(np.float32)
    model.fit(Batches([(x, labels)]), class_weight={0: 1.0, 1: 2.0}, epochs=1, verbose=0)


def test_batch_hooks_see_every_batch_and_stop_training(linear, plain_sgd, squared_error_loss, rng):
    x, y = _data(rng)
    seen = []

    class StopAfterThree(Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append((batch, logs["loss"]))
            if batch == 2:
                self.model.stop_training = True

    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.01), loss=squared_error_loss)
    model.fit(_batches(x, y, 16), epochs=4, verbose=0, callbacks=[StopAfterThree()])
    assert [b for b, _ in seen] == [0, 1, 2]
    assert all(np.isfinite(loss) for _, loss in seen)
    assert int(model.optimizer.iterations.value) == 3


def test_progress_bar_learns_the_step_count_of_an_unsized_generator(linear, plain_sgd, squared_error_loss, rng, capsys):
    x, y = _data(rng, n=48)
    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.01), loss=squared_error_loss)
    model.fit((b for b in _batches(x, y, 16).items * 2), steps_per_epoch=3, epochs=2, verbose=1)
    out = capsys.readouterr().out
    assert "3/3" in out


# -- errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"y": np.zeros((4, 1))}, "also y="),
        ({"batch_size": 8}, "also batch_size=8"),
        ({"validation_split": 0.2}, "validation_split needs arrays"),
    ],
)
def test_fit_on_a_generator_rejects_arguments_that_belong_to_arrays(linear, plain_sgd, squared_error_loss, rng, kwargs, message):
    x, y = _data(rng, n=16)
    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.01), loss=squared_error_loss)
    with pytest.raises(ValueError, match=message):
        model.fit(_batches(x, y, 8), **kwargs)


def test_mismatched_and_ragged_batches_are_named(linear, plain_sgd, squared_error_loss, rng):
    x, y = _data(rng, n=32)
    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.01), loss=squared_error_loss)
    with pytest.raises(ValueError, match=r"batch 1 is inconsistent.*\(8, 3\), \(7, 1\)"):
        model.fit(Batches([(x[:8], y[:8]), (x[8:16], y[8:15])]), verbose=0)
    with pytest.raises(ValueError, match="batch 1 does not have the structure of the first batch"):
        model.fit(Batches([(x[:8], y[:8]), (x[8:16], y[8:16], np.ones(8))]), verbose=0)
    with pytest.raises(ValueError, match="ragged"):
        model.fit(Batches([(x[:8], y[:8]), ([[1.0, 2.0, 3.0], [1.0]], y[:2])]), verbose=0)
    with pytest.raises(ValueError, match="expects shape .*None, 3.*received data of shape .*8, 4"):
        model.fit(Batches([(x[:8], y[:8]), (np.ones((8, 4), np.float32), y[:8])]), verbose=0)
    with pytest.raises(ValueError, match="A batch is x, .*Received a tuple of 4"):
        model.fit(Batches([(x, y, y, y)]), verbose=0)
    with pytest.raises(ValueError, match="yielded no batch"):
        model.fit(iter([]), verbose=0)


def test_an_error_in_the_generator_surfaces_with_its_traceback(linear, plain_sgd, squared_error_loss, rng):
    x, y = _data(rng, n=32)

    def broken():
        yield x[:8], y[:8]
        yield x[8:16], y[8:16]
        raise RuntimeError("disk on fire")

    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.01), loss=squared_error_loss)
    with pytest.raises(RuntimeError, match="disk on fire") as error:
        model.fit(broken(), verbose=0)
    assert any(entry.name == "broken" for entry in error.traceback)
    # The weights written back are the ones of the steps that ran.
    assert all(np.isfinite(w).all() for w in model.get_weights())


def test_chunk_size_follows_steps_per_execution_and_callbacks(linear, plain_sgd, squared_error_loss):
    class EveryBatch(Callback):
        def on_train_batch_end(self, batch, logs=None):
            pass

    from lamella.training.callbacks import CallbackList

    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.01), loss=squared_error_loss)
    engine = model._get_engine(np.zeros((2, 3), np.float32))
    assert stream_loop._chunk_size(engine, CallbackList([])) == stream_loop.STREAM_CHUNK
    assert stream_loop._chunk_size(engine, CallbackList([EveryBatch()])) == 1
    model.compile(optimizer=plain_sgd(0.01), loss=squared_error_loss, steps_per_execution=5)
    engine = model._get_engine(np.zeros((2, 3), np.float32))
    assert stream_loop._chunk_size(engine, CallbackList([EveryBatch()])) == 5


def test_no_warning_when_an_iterable_is_reused(linear, plain_sgd, squared_error_loss, rng):
    x, y = _data(rng, n=32)
    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.01), loss=squared_error_loss)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(_batches(x, y, 8), epochs=3, verbose=0)


@pytest.mark.parametrize("steps_per_execution", [1, 4])
def test_a_generator_that_refills_one_buffer_trains_on_each_batch(linear, plain_sgd, squared_error_loss, rng,
                                                                  steps_per_execution):
    # Batches are copied before they are sent: refilling the yielded array for the
    # next batch must not change a batch still waiting in the prefetch queue.
    x, y = _data(rng, n=64)
    buffer_x, buffer_y = np.empty((8, 3), np.float32), np.empty((8, 1), np.float32)

    def refilling():
        for i in range(0, 64, 8):
            buffer_x[:], buffer_y[:] = x[i:i + 8], y[i:i + 8]
            yield buffer_x, buffer_y

    weights = []
    for data in (refilling(), iter(_batches(x, y, 8).items)):
        lamella.utils.set_random_seed(0)
        model = _model(linear)
        model.compile(optimizer=plain_sgd(0.05), loss=squared_error_loss, steps_per_execution=steps_per_execution)
        model.fit(data, epochs=1, verbose=0)
        weights.append(model.get_weights())
    for a, b in zip(*weights):
        np.testing.assert_allclose(a, b, rtol=1e-6)
