"""SwapEMAWeights: validation, evaluate and predict with the optimizer's moving
averages, the model's own weights back afterwards, and Keras 3's results."""

import numpy as np
import pytest

import lamella
from lamella.callbacks import EarlyStopping, LambdaCallback, ModelCheckpoint, SwapEMAWeights
from lamella.testing import Linear, PlainSGD, squared_error


def _model(use_ema=True, seed=7):
    lamella.utils.set_random_seed(seed)
    model = lamella.Sequential([lamella.Input((3,)), Linear(1)])
    model.compile(optimizer=PlainSGD(0.05, use_ema=use_ema, ema_momentum=0.8), loss=squared_error)
    return model


def _averages(model):
    return [np.array(a.value) for a in model.optimizer._averages]


def _weights(model):
    return [np.array(v.value) for v in model.trainable_variables]


def test_validation_runs_with_the_averages_and_training_with_the_weights(problem):
    x, y = problem()
    seen = []
    record = LambdaCallback(
        on_test_begin=lambda logs: seen.append(("test", _weights(model), _averages(model))),
        on_epoch_end=lambda epoch, logs: seen.append(("epoch", _weights(model), _averages(model))),
    )
    model = _model()
    history = model.fit(x, y, validation_split=0.25, epochs=3, batch_size=5, shuffle=False, verbose=0,
                        callbacks=[SwapEMAWeights(), record])
    assert [kind for kind, _, _ in seen] == ["test", "epoch"] * 3
    for kind, weights, averages in seen:
        same = all(np.array_equal(w, a) for w, a in zip(weights, averages))
        assert same == (kind == "test")
    # The same training as without the callback; only the validation differs.
    plain = _model()
    plain_history = plain.fit(x, y, validation_split=0.25, epochs=3, batch_size=5, shuffle=False, verbose=0)
    assert history.history["loss"] == plain_history.history["loss"]
    assert history.history["val_loss"] != plain_history.history["val_loss"]
    for a, b in zip(model.get_weights(), plain.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_evaluate_and_predict_use_the_averages_and_swap_back(problem):
    x, y = problem()
    model = _model()
    model.fit(x, y, epochs=2, batch_size=5, verbose=0)
    own, averages = _weights(model), _averages(model)
    averaged = _model(seed=99)
    averaged.set_weights(averages)
    loss = model.evaluate(x, y, verbose=0, callbacks=[SwapEMAWeights()])
    np.testing.assert_allclose(loss, averaged.evaluate(x, y, verbose=0), rtol=1e-6)
    np.testing.assert_array_equal(model.predict(x, verbose=0, callbacks=[SwapEMAWeights()]),
                                  averaged.predict(x, verbose=0))
    for a, b in zip(_weights(model), own):
        np.testing.assert_array_equal(a, b)


def test_swap_on_epoch_lets_model_checkpoint_save_the_averages(tmp_path, problem):
    x, y = problem()
    epoch_averages = []
    model = _model()
    model.fit(x, y, epochs=3, batch_size=5, verbose=0, callbacks=[
        LambdaCallback(on_epoch_end=lambda epoch, logs: epoch_averages.append(_averages(model))),
        SwapEMAWeights(swap_on_epoch=True),
        ModelCheckpoint(str(tmp_path / "{epoch}.weights.h5"), save_weights_only=True),
    ])
    for epoch, averages in enumerate(epoch_averages, start=1):
        saved = _model(seed=99)
        saved.load_weights(tmp_path / f"{epoch}.weights.h5")
        for a, b in zip(saved.get_weights(), averages):
            np.testing.assert_array_equal(a, b)
    plain = _model()
    plain.fit(x, y, epochs=3, batch_size=5, verbose=0)
    for a, b in zip(model.get_weights(), plain.get_weights()):  # both end with the averages
        np.testing.assert_array_equal(a, b)


def test_swap_on_epoch_ends_with_the_averages_when_training_stops_early(problem, scripted):
    x, y = problem()
    script = scripted("val_loss", [1.0, 2.0, 3.0, 4.0, 5.0])
    model = _model()
    model.fit(x, y, epochs=5, batch_size=5, verbose=0,
              callbacks=[script, SwapEMAWeights(swap_on_epoch=True), EarlyStopping(patience=1)])
    assert int(model.optimizer.iterations.value) == 2 * 8  # stopped after epoch 2
    for a, b in zip(_weights(model), _averages(model)):
        np.testing.assert_array_equal(a, b)
    plain = _model()
    plain.fit(x, y, epochs=2, batch_size=5, verbose=0)
    for a, b in zip(model.get_weights(), plain.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_an_optimizer_without_use_ema_is_refused(problem):
    x, y = problem()
    with pytest.raises(ValueError, match="create it with use_ema=True. Received: PlainSGD with use_ema=False"):
        _model(use_ema=False).fit(x, y, epochs=1, verbose=0, callbacks=[SwapEMAWeights()])


def test_validation_matches_keras(keras, problem):
    x, y = problem(n=48)
    x_val, y_val = problem(n=16, seed=1)
    y_val = y_val * 0.5
    model = _model()
    initial = model.get_weights()
    history = model.fit(x, y, validation_data=(x_val, y_val), epochs=4, batch_size=8, shuffle=False,
                        verbose=0, callbacks=[SwapEMAWeights()])
    reference = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    reference.set_weights(initial)
    reference.compile(optimizer=keras.optimizers.SGD(0.05, use_ema=True, ema_momentum=0.8), loss="mse")
    expected = reference.fit(x, y, validation_data=(x_val, y_val), epochs=4, batch_size=8, shuffle=False,
                             verbose=0, callbacks=[keras.callbacks.SwapEMAWeights()])
    np.testing.assert_allclose(history.history["val_loss"], expected.history["val_loss"], rtol=1e-5)
    np.testing.assert_allclose(history.history["loss"], expected.history["loss"], rtol=1e-5)
    for a, b in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
