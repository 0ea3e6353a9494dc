"""``ReduceLROnPlateau``: lowers the rate after ``patience`` epochs without gain,
waits ``cooldown`` epochs, stops at ``min_lr``; the same rates as Keras 3."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lamella.callbacks import ReduceLROnPlateau


def test_the_rate_drops_by_factor_after_patience_epochs_without_gain(problem, make_model, scripted):
    x, y = problem()
    model = make_model(rate=0.1)
    script = scripted("val_loss", [1.0, 0.5, 0.6, 0.55, 0.7, 0.4, 0.45, 0.5, 0.5])
    reduce = ReduceLROnPlateau(factor=0.5, patience=2)
    history = model.fit(x, y, epochs=9, batch_size=20, verbose=0, callbacks=[script, reduce])
    # Logged rate = the rate the epoch trained with; after epochs 3 and 7 (two
    # epochs without gain each time) it halves.
    np.testing.assert_allclose(
        history.history["learning_rate"], [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025], rtol=1e-6
    )
    np.testing.assert_allclose(float(np.asarray(model.optimizer.learning_rate)), 0.025, rtol=1e-6)


def test_cooldown_and_min_lr(problem, make_model, scripted):
    x, y = problem()
    model = make_model(rate=1.0)
    script = scripted("loss", [1.0] * 8)  # a flat line: no epoch improves after the first
    reduce = ReduceLROnPlateau(monitor="loss", factor=0.1, patience=1, cooldown=2, min_lr=0.005)
    history = model.fit(x, y, epochs=8, batch_size=20, verbose=0, callbacks=[script, reduce])
    # Reductions after epochs 1, 3 and 5: each cooldown epoch counts down before it
    # is checked, so cooldown=2 skips one epoch; the last step stops at min_lr.
    np.testing.assert_allclose(
        history.history["learning_rate"], [1.0, 1.0, 0.1, 0.1, 0.01, 0.01, 0.005, 0.005], rtol=1e-6
    )
    np.testing.assert_allclose(float(np.asarray(model.optimizer.learning_rate)), 0.005, rtol=1e-6)


def test_the_lowered_rate_is_what_training_uses(problem, make_model, scripted):
    x, y = problem()
    model = make_model(rate=0.05)
    script = scripted("loss", [1.0, 1.0, 1.0, 1.0])
    reduce = ReduceLROnPlateau(monitor="loss", factor=0.0, patience=1, verbose=1)
    model.fit(x, y, epochs=4, batch_size=20, verbose=0, callbacks=[script, reduce])
    # Rate 0 from the end of epoch 1 on: epochs 2 and 3 leave the weights alone.
    assert not np.allclose(script.weights[0][0], script.weights[1][0])
    np.testing.assert_array_equal(script.weights[1][0], script.weights[3][0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"factor": 1.0}, r"factor in \[0, 1\). Received: factor=1.0"),
        ({"patience": -2}, "non-negative integer for patience. Received: patience=-2"),
        ({"min_lr": -1.0}, "non-negative min_lr. Received: min_lr=-1.0"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ReduceLROnPlateau(**kwargs)


def test_a_scheduled_rate_cannot_be_reduced(problem, make_model):
    from lamella.testing import PlainSGD, squared_error

    x, y = problem()
    model = make_model()
    model.compile(optimizer=PlainSGD(lambda step: 0.01), loss=squared_error)
    reduce = ReduceLROnPlateau(monitor="loss", patience=0, min_delta=10.0)
    with pytest.raises(TypeError, match="ReduceLROnPlateau cannot change the learning rate of PlainSGD"):
        model.fit(x, y, epochs=2, batch_size=20, verbose=0, callbacks=[reduce])


class _Optimizer:
    def __init__(self):
        self.learning_rate = 1.0


class _Model:
    def __init__(self):
        self.optimizer = _Optimizer()
        self.stop_training = False
        self.metrics = []


def _rates(callback, values):
    model = _Model()
    callback.set_model(model)
    callback.on_train_begin()
    rates = []
    for epoch, value in enumerate(values):
        callback.on_epoch_end(epoch, {"val_loss": value})
        rates.append(round(float(model.optimizer.learning_rate), 9))
    return rates


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(st.sampled_from([0.1, 0.2, 0.2001, 0.3, 0.5]), min_size=1, max_size=12),
    factor=st.sampled_from([0.1, 0.5]),
    patience=st.integers(0, 2),
    cooldown=st.integers(0, 2),
    min_lr=st.sampled_from([0.0, 0.01, 0.3]),
    min_delta=st.sampled_from([1e-4, 0.05]),
)
def test_lowers_the_rate_like_keras(keras, values, factor, patience, cooldown, min_lr, min_delta):
    kwargs = dict(factor=factor, patience=patience, cooldown=cooldown, min_lr=min_lr, min_delta=min_delta)
    ours = _rates(ReduceLROnPlateau(**kwargs), values)
    theirs = _rates(keras.callbacks.ReduceLROnPlateau(mode="min", **kwargs), values)
    assert ours == theirs
