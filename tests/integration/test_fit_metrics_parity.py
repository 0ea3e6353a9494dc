"""Stateful metrics inside ``fit`` and ``evaluate`` behave as in Keras 3: the same
model, weights, data and optimizer give the same per-batch logs (running values that
accumulate over the epoch's batches), the same per-epoch history (state reset at
every epoch start) and the same evaluation, with sample weights."""

import numpy as np
import pytest

import lamella

pytestmark = pytest.mark.keras_parity

METRICS = ["accuracy", "auc", "precision", "recall", "mse"]


def _models(keras):
    theirs = keras.Sequential([
        keras.Input((4,)), keras.layers.Dense(6, activation="tanh"), keras.layers.Dense(1, activation="sigmoid"),
    ])
    ours = lamella.Sequential([
        lamella.Input((4,)), lamella.layers.Dense(6, activation="tanh"),
        lamella.layers.Dense(1, activation="sigmoid"),
    ])
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    theirs.compile(optimizer=keras.optimizers.SGD(0.5), loss="binary_crossentropy", metrics=METRICS)
    ours.compile(optimizer=lamella.optimizers.SGD(0.5), loss="binary_crossentropy", metrics=METRICS)
    return ours, theirs


def _data(rng, n=48):
    x = rng.normal(size=(n, 4)).astype(np.float32)
    y = (x[:, :1] + 0.5 * x[:, 1:2] > 0).astype(np.float32)
    weights = rng.uniform(0.2, 2.0, size=(n,)).astype(np.float32)
    return x, y, weights


def _names(logs):
    # Keras numbers a metric's name when the same class is used twice in a session
    # ("auc_1"); both sides here use the base names.
    return {key.split("_")[0] if key.startswith(("auc", "precision", "recall")) else key: value
            for key, value in logs.items()}


def _batch_logger(base):
    """A callback of ``base`` (Keras's or lamella's class) collecting the logs of
    ``on_train_batch_end``."""

    class BatchLogs(base):
        def __init__(self):
            super().__init__()
            self.rows = []

        def on_train_batch_end(self, batch, logs=None):
            self.rows.append((batch, _names({k: float(v) for k, v in (logs or {}).items()})))

    return BatchLogs()


def test_per_batch_and_per_epoch_metrics_equal_keras(keras, rng):
    ours, theirs = _models(keras)
    x, y, weights = _data(rng)

    keras_batches = _batch_logger(keras.callbacks.Callback)
    lamella_batches = _batch_logger(lamella.callbacks.Callback)
    keras_history = theirs.fit(x, y, sample_weight=weights, batch_size=16, epochs=3, shuffle=False,
                               verbose=0, callbacks=[keras_batches])
    lamella_history = ours.fit(x, y, sample_weight=weights, batch_size=16, epochs=3, shuffle=False,
                               verbose=0, callbacks=[lamella_batches])

    # Three batches per epoch: the batch index restarts and so does every metric.
    assert [b for b, _ in lamella_batches.rows] == [0, 1, 2] * 3
    for (_, mine), (_, want) in zip(lamella_batches.rows, keras_batches.rows, strict=True):
        assert set(mine) == set(want)
        for key in want:
            assert mine[key] == pytest.approx(want[key], rel=1e-4, abs=1e-5), key
    history, expected = _names(lamella_history.history), _names(keras_history.history)
    assert set(history) == set(expected)
    for key in expected:
        np.testing.assert_allclose(history[key], expected[key], rtol=1e-4, atol=1e-5, err_msg=key)
    # Running values differ from batch to batch (accumulating, not per batch only).
    first_epoch = [row["auc"] for _, row in lamella_batches.rows[:3]]
    assert len(set(first_epoch)) > 1

    ours_eval = ours.evaluate(x, y, sample_weight=weights, batch_size=16, verbose=0, return_dict=True)
    keras_eval = theirs.evaluate(x, y, sample_weight=weights, batch_size=16, verbose=0, return_dict=True)
    ours_eval, keras_eval = _names(ours_eval), _names(keras_eval)
    for key in keras_eval:
        assert ours_eval[key] == pytest.approx(keras_eval[key], rel=1e-4, abs=1e-5), key
