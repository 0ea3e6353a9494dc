"""A Keras 3 ``.keras`` file brings its optimizer state: Keras trains two steps and
saves, lamella loads, and lamella's third step equals Keras's third step."""

import warnings

import numpy as np
import pytest

from lamella.models import load_model

pytestmark = pytest.mark.keras_parity

OPTIMIZERS = {
    "adam": lambda o: o.Adam(learning_rate=0.01),
    "adam_amsgrad": lambda o: o.Adam(learning_rate=0.01, amsgrad=True),
    "rmsprop_centered_momentum": lambda o: o.RMSprop(learning_rate=0.01, momentum=0.5, centered=True),
    "sgd_nesterov": lambda o: o.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
    "nadam": lambda o: o.Nadam(learning_rate=0.01),
}


def _keras_model(keras, optimizer):
    model = keras.Sequential([
        keras.Input((4,)),
        keras.layers.Dense(8, activation="tanh"),
        keras.layers.BatchNormalization(),
        keras.layers.Dense(2),
    ])
    model.compile(optimizer=optimizer, loss="mse")
    return model


def _data(rng):
    x = rng.normal(size=(3, 8, 4)).astype(np.float32)  # three batches of eight
    y = rng.normal(size=(3, 8, 2)).astype(np.float32)
    return x, y


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_third_step_after_loading_a_keras_file_equals_keras(keras, rng, tmp_path, name):
    model = _keras_model(keras, OPTIMIZERS[name](keras.optimizers))
    x, y = _data(rng)
    for step in range(2):
        model.train_on_batch(x[step], y[step])
    model.save(tmp_path / "k.keras")

    loaded = load_model(tmp_path / "k.keras")
    # The state came back: iteration count and every slot, index by index.
    assert int(np.asarray(loaded.optimizer.iterations)) == 2
    theirs = model.optimizer.variables
    assert len(loaded.optimizer.variables) == len(theirs) > 2
    for ours, keras_variable in zip(loaded.optimizer.variables, theirs):
        np.testing.assert_allclose(np.asarray(ours.value), np.asarray(keras_variable.value), rtol=0, atol=0)

    model.train_on_batch(x[2], y[2])
    loaded.train_on_batch(x[2], y[2])
    for our_layer, keras_layer in zip(loaded.layers, model.layers, strict=True):
        for ours, keras_weight in zip(our_layer.get_weights(), keras_layer.get_weights(), strict=True):
            np.testing.assert_allclose(ours, keras_weight, rtol=1e-5, atol=1e-6)


def test_without_the_state_the_third_step_would_differ(keras, rng, tmp_path):
    # The check above has teeth: a fresh Adam takes another third step.
    model = _keras_model(keras, keras.optimizers.Adam(learning_rate=0.01))
    x, y = _data(rng)
    for step in range(2):
        model.train_on_batch(x[step], y[step])
    model.save(tmp_path / "k.keras")
    loaded = load_model(tmp_path / "k.keras", compile=False)
    loaded.compile(optimizer="adam", loss="mse")
    loaded.optimizer.learning_rate = 0.01
    model.train_on_batch(x[2], y[2])
    loaded.train_on_batch(x[2], y[2])
    kernel, keras_kernel = loaded.layers[0].get_weights()[0], model.layers[0].get_weights()[0]
    assert np.abs(kernel - keras_kernel).max() > 1e-4


def test_a_keras_file_saved_before_training_restores_iteration_and_rate(keras, tmp_path):
    model = _keras_model(keras, keras.optimizers.Adam(learning_rate=0.02))
    model.save(tmp_path / "k.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing to warn about: nothing was lost
        loaded = load_model(tmp_path / "k.keras")
    assert int(np.asarray(loaded.optimizer.iterations)) == 0
    assert float(np.asarray(loaded.optimizer.learning_rate)) == pytest.approx(0.02)


def test_another_optimizer_in_the_config_than_in_the_state_is_skipped_with_a_warning(keras, rng, tmp_path):
    import h5py

    from lamella.saving import keras_weights

    model = _keras_model(keras, keras.optimizers.Adam(learning_rate=0.01))
    x, y = _data(rng)
    model.train_on_batch(x[0], y[0])
    model.save_weights(tmp_path / "k.weights.h5")
    loaded = load_model(_saved(model, tmp_path))
    before = [np.asarray(v.value).copy() for v in loaded.optimizer.variables]
    with h5py.File(tmp_path / "k.weights.h5") as h5, pytest.warns(
            UserWarning, match="belongs to a RMSprop, the model was compiled with Adam"):
        pairs = keras_weights.keras3_optimizer_pairs(
            loaded.optimizer, h5, "RMSprop", loaded.trainable_variables)
    assert pairs == []
    for value, variable in zip(before, loaded.optimizer.variables):
        np.testing.assert_array_equal(value, np.asarray(variable.value))


def _saved(model, tmp_path):
    model.save(tmp_path / "k.keras")
    return tmp_path / "k.keras"


def test_the_seed_headline_model_saved_by_keras_predicts_and_trains_on_the_same(keras, rng, tmp_path):
    # Seed 004's headline model as Keras 3 writes it: Embedding (masking the
    # padding), LSTM, an auxiliary input and output, RMSprop with its slots.
    main_input = keras.Input(shape=(9,), dtype="int32", name="main_input")
    lstm_out = keras.layers.LSTM(6)(keras.layers.Embedding(30, 5, mask_zero=True)(main_input))
    aux_output = keras.layers.Dense(1, activation="sigmoid", name="aux_output")(lstm_out)
    aux_input = keras.Input(shape=(3,), name="aux_input")
    x = keras.layers.Dense(8, activation="relu")(keras.layers.concatenate([lstm_out, aux_input]))
    main_output = keras.layers.Dense(1, activation="sigmoid", name="main_output")(x)
    model = keras.Model([main_input, aux_input], [main_output, aux_output])
    model.compile(optimizer=keras.optimizers.RMSprop(0.01), loss=["binary_crossentropy", "binary_crossentropy"],
                  loss_weights=[1.0, 0.2])
    words = rng.integers(1, 30, size=(3, 8, 9)).astype(np.int32)
    words[:, :, -3:] = 0
    extra = rng.normal(size=(3, 8, 3)).astype(np.float32)
    labels = (rng.random((3, 8, 1)) > 0.5).astype(np.float32)
    for step in range(2):
        model.train_on_batch([words[step], extra[step]], [labels[step], labels[step]])
    model.save(tmp_path / "headline.keras")

    loaded = load_model(tmp_path / "headline.keras")
    for ours, want in zip(loaded.predict([words[2], extra[2]], verbose=0),
                          model.predict([words[2], extra[2]], verbose=0), strict=True):
        np.testing.assert_allclose(ours, np.asarray(want), rtol=1e-5, atol=1e-6)
    model.train_on_batch([words[2], extra[2]], [labels[2], labels[2]])
    loaded.train_on_batch([words[2], extra[2]], [labels[2], labels[2]])
    for ours, want in zip(loaded.predict([words[0], extra[0]], verbose=0),
                          model.predict([words[0], extra[0]], verbose=0), strict=True):
        np.testing.assert_allclose(ours, np.asarray(want), rtol=1e-4, atol=1e-5)
