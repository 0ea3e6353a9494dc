"""compile / fit / evaluate / predict on lamella-core alone."""

import numpy as np
import pytest

import lamella
from lamella.engine.sequential import Sequential
from lamella.training.callbacks import Callback


def _regression_data(rng, n=256, features=4):
    x = rng.normal(size=(n, features)).astype(np.float32)
    w = rng.normal(size=(features, 1)).astype(np.float32)
    return x, x @ w + 0.5


def _model(linear, features=4):
    return Sequential([lamella.Input((features,)), linear(1, name="out")])


def test_fit_learns_a_linear_map(linear, plain_sgd, squared_error_loss, rng):
    x, y = _regression_data(rng)
    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.1), loss=squared_error_loss)
    history = model.fit(x, y, epochs=20, batch_size=32, verbose=0)
    losses = history.history["loss"]
    assert len(losses) == 20
    assert losses[-1] < 1e-3 < losses[0]
    assert model.evaluate(x, y, verbose=0) < 1e-3
    np.testing.assert_allclose(model.predict(x, verbose=0), y, atol=0.05)


def test_fit_is_reproducible_with_set_random_seed(linear, plain_sgd, squared_error_loss, rng):
    x, y = _regression_data(rng)
    results = []
    for _ in range(2):
        lamella.utils.set_random_seed(7)
        model = _model(linear)
        model.compile(optimizer=plain_sgd(0.05), loss=squared_error_loss)
        model.fit(x, y, epochs=2, batch_size=16, verbose=0)
        results.append(model.get_weights())
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)


def test_partial_last_batch_and_steps_per_epoch(linear, plain_sgd, squared_error_loss, rng):
    x, y = _regression_data(rng, n=100)
    seen = []

    class CountBatches(Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)

    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.01), loss=squared_error_loss)
    model.fit(x, y, batch_size=32, epochs=1, verbose=0, callbacks=[CountBatches()])
    assert seen == [0, 1, 2, 3]  # 32 + 32 + 32 + 4
    assert int(model.optimizer.iterations.value) == 4
    seen.clear()
    model.fit(x, y, batch_size=32, epochs=1, steps_per_epoch=2, verbose=0, callbacks=[CountBatches()])
    assert seen == [0, 1]


def test_validation_split_takes_the_last_samples(linear, plain_sgd, squared_error_loss, rng):
    x, y = _regression_data(rng, n=100)
    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.0), loss=squared_error_loss)
    history = model.fit(x, y, epochs=1, validation_split=0.2, verbose=0, shuffle=False)
    expected = model.evaluate(x[80:], y[80:], verbose=0)
    np.testing.assert_allclose(history.history["val_loss"][0], expected, rtol=1e-5)


def test_sample_weight_zero_ignores_samples(linear, plain_sgd, squared_error_loss, rng):
    x, y = _regression_data(rng, n=64)
    y_corrupted = y.copy()
    y_corrupted[32:] = 1000.0
    weights = np.r_[np.ones(32), np.zeros(32)].astype(np.float32)
    lamella.utils.set_random_seed(3)
    clean = _model(linear)
    clean.compile(optimizer=plain_sgd(0.1), loss=squared_error_loss)
    clean.fit(x[:32], y[:32], batch_size=64, epochs=5, verbose=0, shuffle=False)
    lamella.utils.set_random_seed(3)
    weighted = _model(linear)
    weighted.compile(optimizer=plain_sgd(0.2), loss=squared_error_loss)
    # The mean runs over all 64 samples, so twice the learning rate matches.
    weighted.fit(x, y_corrupted, sample_weight=weights, batch_size=64, epochs=5, verbose=0, shuffle=False)
    for a, b in zip(clean.get_weights(), weighted.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_callbacks_see_epoch_logs_and_can_stop_training(linear, plain_sgd, squared_error_loss, rng):
    x, y = _regression_data(rng)
    seen = []

    class StopAfterTwo(Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append((epoch, sorted(logs)))
            if epoch == 1:
                self.model.stop_training = True

    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.01), loss=squared_error_loss)
    history = model.fit(x, y, epochs=10, verbose=0, validation_data=(x, y), callbacks=[StopAfterTwo()])
    assert seen == [(0, ["loss", "val_loss"]), (1, ["loss", "val_loss"])]
    assert history.epoch == [0, 1]


def test_callback_weight_changes_are_kept(linear, plain_sgd, squared_error_loss, rng):
    x, y = _regression_data(rng)

    class ZeroKernel(Callback):
        def on_epoch_end(self, epoch, logs=None):
            layer = self.model.get_layer("out")
            layer.kernel.assign(np.zeros(layer.kernel.shape, np.float32))

    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.0), loss=squared_error_loss)
    model.fit(x, y, epochs=2, verbose=0, callbacks=[ZeroKernel()])
    np.testing.assert_array_equal(model.get_layer("out").kernel.numpy(), 0.0)


def test_epoch_logs_are_read_once_per_epoch_without_batch_hooks(linear, plain_sgd, squared_error_loss, rng, monkeypatch):
    from lamella.training import logs as logs_module

    reads = []
    original = logs_module.jax.device_get

    def counting_device_get(tree):
        reads.append(tree)
        return original(tree)

    monkeypatch.setattr(logs_module.jax, "device_get", counting_device_get)
    x, y = _regression_data(rng, n=512)
    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.01), loss=squared_error_loss)
    model.fit(x, y, batch_size=8, epochs=3, verbose=0)
    assert len(reads) == 3  # 64 steps per epoch, one host read per epoch


def test_an_exception_mid_fit_leaves_usable_weights(linear, plain_sgd, squared_error_loss, rng):
    x, y = _regression_data(rng)

    class Boom(Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 3:
                raise KeyboardInterrupt

    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.01), loss=squared_error_loss)
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=[Boom()])
    assert int(model.optimizer.iterations.value) == 4
    assert np.isfinite(model.predict(x[:4], verbose=0)).all()
    model.fit(x, y, epochs=1, verbose=0)  # and training can go on


def test_fit_rejects_mismatched_feature_count(linear, plain_sgd, squared_error_loss):
    model = Sequential([lamella.Input((784,)), linear(10, name="dense")])
    model.compile(optimizer=plain_sgd(), loss=squared_error_loss)
    with pytest.raises(ValueError, match=r"(?s)784.*\(32, 100\)|\(32, 100\).*784"):
        model.fit(np.zeros((32, 100), np.float32), np.zeros((32, 10), np.float32), verbose=0)


def test_fit_before_compile_is_a_clear_error(linear):
    model = _model(linear)
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(np.zeros((4, 4)), np.zeros((4, 1)))


def test_unknown_loss_is_rejected_at_compile_listing_names(linear, plain_sgd):
    model = _model(linear)
    with pytest.raises(ValueError, match="Unknown loss: 'msee'"):
        model.compile(optimizer=plain_sgd(), loss="msee")


def _two_outputs(linear):
    x = lamella.Input((4,))
    return lamella.Model(x, [linear(1, name="first")(x), linear(1, name="second")(x)])


def absolute_error(y_true, y_pred):
    return abs(y_true - y_pred).mean(axis=-1)


def test_metrics_by_output_name_are_logged_under_that_output(linear, plain_sgd, squared_error_loss, rng):
    x, y = _regression_data(rng, n=32)
    model = _two_outputs(linear)
    model.compile(optimizer=plain_sgd(0.1), loss=squared_error_loss,
                  metrics={"second": [absolute_error]}, weighted_metrics={"first": [absolute_error]})
    history = model.fit(x, [y, y], epochs=1, batch_size=32, verbose=0)
    assert {"second_absolute_error", "first_absolute_error", "second_loss"} <= set(history.history)
    assert "first_absolute_error_1" not in history.history
    _, second = model.predict(x, verbose=0)
    scores = model.evaluate(x, [y, y], verbose=0, return_dict=True)
    assert scores["second_absolute_error"] == pytest.approx(float(np.abs(second - y).mean()), rel=1e-5)


def test_metrics_for_an_output_the_model_lacks_fail_at_compile(linear, plain_sgd, squared_error_loss):
    model = _two_outputs(linear)
    with pytest.raises(ValueError, match=r"outputs \['third'\], but the model's outputs are \['first', 'second'\]"):
        model.compile(optimizer=plain_sgd(), loss=squared_error_loss, metrics={"third": [absolute_error]})

def test_mismatched_sample_counts_are_reported(linear, plain_sgd, squared_error_loss):
    model = _model(linear)
    model.compile(optimizer=plain_sgd(), loss=squared_error_loss)
    with pytest.raises(ValueError, match="cardinality"):
        model.fit(np.zeros((10, 4), np.float32), np.zeros((9, 1), np.float32), verbose=0)


def test_train_on_batch_returns_that_batch(linear, plain_sgd, squared_error_loss, rng):
    x, y = _regression_data(rng, n=16)
    model = _model(linear)
    model.compile(optimizer=plain_sgd(0.0), loss=squared_error_loss)
    loss = model.train_on_batch(x, y)
    np.testing.assert_allclose(loss, model.test_on_batch(x, y), rtol=1e-6)
    np.testing.assert_allclose(model.predict_on_batch(x), model.predict(x, verbose=0), rtol=1e-6)


def test_one_batch_predictions_leave_numpy_inputs_to_the_program(linear, rng, monkeypatch):
    import jax

    from lamella.distribution import placement

    model = _model(linear)
    x = rng.normal(size=(8, 4)).astype(np.float32)
    puts = []

    def put_data(self, tree):
        puts.append(tree)
        return jax.tree.map(jax.device_put, tree)

    monkeypatch.setattr(placement.OneDevice, "put_data", put_data)
    batched = model.predict(x, batch_size=3, verbose=0)  # three calls share one copy
    assert len(puts) == 1
    np.testing.assert_allclose(model.predict_on_batch(x), batched, rtol=1e-6)
    np.testing.assert_allclose(model.predict(x, verbose=0), batched, rtol=1e-6)
    assert len(puts) == 1  # the single calls took the numpy array as it was
    np.testing.assert_allclose(model.predict_on_batch(jax.numpy.asarray(x)), batched, rtol=1e-6)
    assert len(puts) == 2  # other arrays are put on the device as before


def test_subclassed_model_trains(plain_sgd, squared_error_loss, rng, linear):
    class TwoLayers(lamella.Model):
        def __init__(self):
            super().__init__()
            self.hidden = linear(8, activation="tanh")
            self.out = linear(1)

        def call(self, x):
            return self.out(self.hidden(x))

    x, y = _regression_data(rng)
    model = TwoLayers()
    model.compile(optimizer=plain_sgd(0.05), loss=squared_error_loss)
    history = model.fit(x, y, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert len(model.trainable_weights) == 4
