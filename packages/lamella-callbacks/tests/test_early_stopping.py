"""``EarlyStopping``: stops at the right epoch, restores the best weights, agrees
with Keras 3 on when to stop."""


import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lamella.callbacks import EarlyStopping


def test_stops_after_patience_epochs_on_a_plateau_and_restores_the_best(problem, make_model, scripted):
    x, y = problem()
    model = make_model()
    # Improves until epoch 2, then plateaus: with patience 3 the last epoch is 5.
    script = scripted("val_loss", [1.0, 0.8, 0.5, 0.6, 0.5, 0.7, 0.1, 0.1])
    stop = EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    history = model.fit(x, y, epochs=8, batch_size=10, verbose=0, callbacks=[script, stop])
    assert history.epoch == [0, 1, 2, 3, 4, 5]
    assert stop.stopped_epoch == 5 and stop.best_epoch == 2 and stop.best == 0.5
    for restored, best in zip(model.get_weights(), script.weights[2]):
        np.testing.assert_array_equal(restored, best)
    assert not np.allclose(script.weights[5][0], script.weights[2][0])  # training moved on


def test_min_delta_makes_small_gains_count_as_no_improvement(problem, make_model, scripted):
    x, y = problem()
    script = scripted("val_loss", [1.0, 0.95, 0.91, 0.9, 0.89, 0.5])
    stop = EarlyStopping(patience=2, min_delta=0.1)
    history = make_model().fit(x, y, epochs=6, batch_size=20, verbose=0, callbacks=[script, stop])
    assert history.epoch == [0, 1, 2] and stop.stopped_epoch == 2


def test_max_mode_and_auto_for_accuracy(problem, make_model, scripted):
    x, y = problem()
    script = scripted("val_accuracy", [0.5, 0.7, 0.6, 0.65, 0.9])
    stop = EarlyStopping(monitor="val_accuracy", patience=2)
    history = make_model().fit(x, y, epochs=5, batch_size=20, verbose=0, callbacks=[script, stop])
    assert stop.direction() == "max"
    assert history.epoch == [0, 1, 2, 3] and stop.best == 0.7


def test_baseline_stops_training_that_never_reaches_it(problem, make_model, scripted):
    x, y = problem()
    # Gains above the baseline do not reset the count: the first epoch without a
    # gain (2) comes after 3 epochs that never reached 0.5. Without the baseline
    # that epoch is only the first without improvement.
    values = [0.9, 0.8, 0.85, 0.7, 0.1]
    stop = EarlyStopping(monitor="loss", patience=3, baseline=0.5)
    history = make_model().fit(x, y, epochs=5, batch_size=20, verbose=0,
                               callbacks=[scripted("loss", values), stop])
    assert history.epoch == [0, 1, 2] and stop.stopped_epoch == 2
    history = make_model().fit(x, y, epochs=5, batch_size=20, verbose=0,
                               callbacks=[scripted("loss", values), EarlyStopping(monitor="loss", patience=3)])
    assert history.epoch == [0, 1, 2, 3, 4]


def test_start_from_epoch_ignores_the_warm_up(problem, make_model, scripted):
    x, y = problem()
    script = scripted("loss", [0.1, 0.2, 0.9, 0.8, 0.85, 0.9])
    stop = EarlyStopping(monitor="loss", patience=1, start_from_epoch=2)
    history = make_model().fit(x, y, epochs=6, batch_size=20, verbose=0, callbacks=[script, stop])
    assert history.epoch == [0, 1, 2, 3, 4] and stop.best == 0.8


def test_restores_the_best_weights_even_without_stopping(problem, make_model, scripted):
    x, y = problem()
    script = scripted("loss", [0.9, 0.3, 0.5])
    stop = EarlyStopping(monitor="loss", patience=5, restore_best_weights=True)
    make_model().fit(x, y, epochs=3, batch_size=20, verbose=0, callbacks=[script, stop])
    np.testing.assert_array_equal(stop.model.get_weights()[0], script.weights[1][0])
    assert stop.stopped_epoch == 0


def test_on_real_validation_loss_it_keeps_the_lowest_epoch(problem, make_model):
    x, y = problem(60)
    # Far too large a rate: the validation loss rises from the first epoch on.
    model = make_model(rate=0.6)
    stop = EarlyStopping(patience=1, restore_best_weights=True, verbose=1)
    history = model.fit(x[:40], y[:40], validation_data=(x[40:], y[40:]), epochs=10,
                        batch_size=40, verbose=0, callbacks=[stop])
    losses = history.history["val_loss"]
    assert int(np.argmin(losses)) == stop.best_epoch
    val_loss = model.evaluate(x[40:], y[40:], verbose=0)
    np.testing.assert_allclose(val_loss, min(losses), rtol=1e-5)


def test_a_missing_quantity_warns_and_never_stops(problem, make_model):
    x, y = problem()
    stop = EarlyStopping(monitor="val_loss", patience=0)
    with pytest.warns(UserWarning, match="monitors 'val_loss', which is not in the logs. Available: loss"):
        history = make_model().fit(x, y, epochs=2, batch_size=20, verbose=0, callbacks=[stop])
    assert history.epoch == [0, 1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"patience": -1}, "non-negative integer for patience. Received: patience=-1"),
        ({"mode": "up"}, "mode 'auto', 'min' or 'max'. Received: mode='up'"),
        ({"min_delta": -0.1}, "non-negative number for min_delta. Received: min_delta=-0.1"),
        ({"start_from_epoch": 1.5}, "start_from_epoch. Received: start_from_epoch=1.5"),
    ],
)
def test_bad_arguments_are_refused_with_their_value(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        EarlyStopping(**kwargs)


def test_auto_mode_asks_for_a_mode_when_the_name_says_nothing():
    stop = EarlyStopping(monitor="val_widgets")
    with pytest.raises(ValueError, match="Pass mode='min' or mode='max'"):
        stop.direction()


class _Model:
    """What both libraries' EarlyStopping touch when weights are not restored."""

    def __init__(self):
        self.stop_training = False
        self.metrics = []


def _stopping_epoch(callback, values):
    model = _Model()
    callback.set_model(model)
    callback.on_train_begin()
    for epoch, value in enumerate(values):
        callback.on_epoch_end(epoch, {"val_loss": value, "val_accuracy": value})
        if model.stop_training:
            return epoch
    return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(st.sampled_from([0.1, 0.2, 0.25, 0.3, 0.5, 0.9]), min_size=1, max_size=12),
    patience=st.integers(0, 3),
    min_delta=st.sampled_from([0.0, 0.05, 0.2]),
    baseline=st.sampled_from([None, 0.15, 0.3]),
    monitor=st.sampled_from(["val_loss", "val_accuracy"]),
    start_from_epoch=st.integers(0, 2),
)
def test_stops_at_the_same_epoch_as_keras(keras, values, patience, min_delta, baseline, monitor,
                                          start_from_epoch):
    kwargs = dict(monitor=monitor, patience=patience, min_delta=min_delta, baseline=baseline,
                  mode="min" if monitor == "val_loss" else "max", start_from_epoch=start_from_epoch)
    ours = EarlyStopping(**kwargs)
    theirs = keras.callbacks.EarlyStopping(**kwargs)
    assert _stopping_epoch(ours, values) == _stopping_epoch(theirs, values)
    assert ours.best == (None if theirs.best is None else float(theirs.best))
    assert ours.wait == theirs.wait


