"""``TerminateOnNaN``: training stops at the first batch with a non-finite loss."""

import numpy as np

import lamella
from lamella.callbacks import TerminateOnNaN
from lamella.testing import Linear, PlainSGD, squared_error


def test_diverging_training_stops_at_the_first_non_finite_loss(capsys):
    x = np.full((64, 4), 10.0, np.float32)
    y = np.ones((64, 1), np.float32)
    model = lamella.Sequential([lamella.Input((4,)), Linear(1, kernel_initializer="ones")])
    # A step far beyond 2 / curvature: the weights grow ~800x per step and overflow.
    model.compile(optimizer=PlainSGD(1.0), loss=squared_error)
    callback = TerminateOnNaN()
    history = model.fit(x, y, epochs=20, batch_size=8, verbose=0, callbacks=[callback])
    assert callback.stopped_batch is not None
    assert len(history.history["loss"]) == 1  # stopped within the first epoch
    assert not np.isfinite(history.history["loss"][0])
    assert f"Batch {callback.stopped_batch}: invalid loss" in capsys.readouterr().out
    assert int(model.optimizer.iterations.value) == callback.stopped_batch + 1


def test_finite_training_is_not_interrupted():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(32, 2)).astype(np.float32)
    model = lamella.Sequential([lamella.Input((2,)), Linear(1)])
    model.compile(optimizer=PlainSGD(0.01), loss=squared_error)
    callback = TerminateOnNaN()
    history = model.fit(x, x[:, :1], epochs=3, batch_size=8, verbose=0, callbacks=[callback])
    assert callback.stopped_batch is None
    assert len(history.history["loss"]) == 3
