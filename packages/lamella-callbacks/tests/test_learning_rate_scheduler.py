"""``LearningRateScheduler``: each epoch trains with ``schedule(epoch, lr)``."""

import numpy as np
import pytest

from lamella.callbacks import LearningRateScheduler


def test_each_epoch_uses_the_scheduled_rate(problem, make_model):
    x, y = problem()
    model = make_model(rate=0.1)
    scheduler = LearningRateScheduler(lambda epoch, lr: lr if epoch < 2 else lr * 0.5)
    history = model.fit(x, y, epochs=4, batch_size=20, verbose=0, callbacks=[scheduler])
    np.testing.assert_allclose(history.history["learning_rate"], [0.1, 0.1, 0.05, 0.025], rtol=1e-6)


def test_a_function_of_the_epoch_alone_and_a_zero_rate_freezes_training(problem, make_model, scripted):
    x, y = problem()
    model = make_model(rate=0.1)
    script = scripted("unused", [0, 0, 0])
    scheduler = LearningRateScheduler(lambda epoch: [0.05, 0.0, 0.0][epoch], verbose=1)
    history = model.fit(x, y, epochs=3, batch_size=20, verbose=0, callbacks=[scheduler, script])
    np.testing.assert_allclose(history.history["learning_rate"], [0.05, 0.0, 0.0])
    np.testing.assert_array_equal(script.weights[0][0], script.weights[2][0])


def test_matches_an_explicit_per_epoch_rate(problem, make_model):
    from lamella.testing import PlainSGD, squared_error

    x, y = problem()
    rates = [0.08, 0.02, 0.04]
    scheduled = make_model(seed=5)
    scheduled.fit(x, y, epochs=3, batch_size=10, verbose=0, shuffle=False,
                  callbacks=[LearningRateScheduler(lambda epoch, lr: rates[epoch])])
    manual = make_model(seed=5)
    for rate in rates:  # a fresh optimizer per epoch: plain SGD keeps no state
        manual.compile(optimizer=PlainSGD(rate), loss=squared_error)
        manual.fit(x, y, epochs=1, batch_size=10, verbose=0, shuffle=False)
    for a, b in zip(scheduled.get_weights(), manual.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


@pytest.mark.parametrize("returned", ["fast", None, np.array([0.1, 0.2]), float("nan"), -0.1])
def test_a_schedule_returning_no_rate_is_an_error(problem, make_model, returned):
    x, y = problem()
    scheduler = LearningRateScheduler(lambda epoch, lr: returned)
    with pytest.raises(ValueError, match="schedule of LearningRateScheduler must return"):
        make_model().fit(x, y, epochs=1, verbose=0, callbacks=[scheduler])


def test_the_schedule_must_be_callable():
    with pytest.raises(TypeError, match="expected a callable schedule. Received: schedule=0.1"):
        LearningRateScheduler(0.1)
