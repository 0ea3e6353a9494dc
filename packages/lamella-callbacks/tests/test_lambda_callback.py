"""``LambdaCallback``: plain functions called at the hooks they name."""

import numpy as np
import pytest

import lamella
from lamella.callbacks import LambdaCallback
from lamella.testing import Linear, PlainSGD, squared_error


def _model_and_data(n=40, features=3):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, features)).astype(np.float32)
    y = (x @ rng.normal(size=(features, 1))).astype(np.float32)
    model = lamella.Sequential([lamella.Input((features,)), Linear(1)])
    model.compile(optimizer=PlainSGD(0.05), loss=squared_error)
    return model, x, y


def test_epoch_functions_see_the_logs_history_records():
    model, x, y = _model_and_data()
    seen = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append((epoch, logs["loss"])))
    history = model.fit(x, y, epochs=3, batch_size=10, verbose=0, callbacks=[record])
    assert [epoch for epoch, _ in seen] == [0, 1, 2]
    np.testing.assert_allclose([loss for _, loss in seen], history.history["loss"], rtol=1e-6)
    assert seen[-1][1] < seen[0][1]


def test_keras2_batch_names_are_called_once_per_batch_with_the_loss():
    model, x, y = _model_and_data(n=40)
    calls = {"begin": [], "end": []}
    callback = LambdaCallback(
        on_batch_begin=lambda batch, logs: calls["begin"].append(batch),
        on_batch_end=lambda batch, logs: calls["end"].append((batch, float(logs["loss"]))),
    )
    assert callback.uses_batch_hooks("train") and not callback.uses_batch_hooks("test")
    model.fit(x, y, epochs=1, batch_size=10, verbose=0, callbacks=[callback])
    assert calls["begin"] == [0, 1, 2, 3]
    assert [batch for batch, _ in calls["end"]] == [0, 1, 2, 3]
    assert all(np.isfinite(loss) and loss > 0 for _, loss in calls["end"])


def test_train_begin_and_end_and_other_hooks_by_name():
    model, x, y = _model_and_data()
    events = []
    callback = LambdaCallback(
        on_train_begin=lambda logs: events.append("train_begin"),
        on_train_end=lambda logs: events.append("train_end"),
        on_test_end=lambda logs: events.append(("test_end", round(logs["loss"], 6))),
    )
    model.fit(x, y, epochs=1, batch_size=20, verbose=0, callbacks=[callback],
              validation_data=(x, y))
    assert events[0] == "train_begin" and events[-1] == "train_end"
    loss = model.evaluate(x, y, verbose=0, callbacks=[callback])
    assert events[-1] == ("test_end", round(float(loss), 6))


def test_an_unknown_hook_is_refused_with_its_name():
    with pytest.raises(TypeError, match="unknown hook 'on_epoch_finish'"):
        LambdaCallback(on_epoch_finish=lambda epoch, logs: None)
