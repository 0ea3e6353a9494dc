"""The seed tutorials' code, with ``lamella`` in place of ``keras``."""

import numpy as np
import pytest
from sklearn.datasets import load_digits

import lamella
from lamella import constraints, initializers, regularizers  # noqa: F401 - the seed imports them
from lamella.layers import Activation, Dense, Dropout  # noqa: F401
from lamella.models import Sequential
from lamella.utils import to_categorical


def _digits_as_784_features():
    """scikit-learn's bundled 8x8 digits, upsampled (nearest) to 28x28 = 784 pixels
    in [0, 1]: an MNIST-shaped dataset that needs no download."""
    digits = load_digits()
    rows = (np.arange(28) * 8) // 28
    images = digits.images[:, rows][:, :, rows] / 16.0
    x = images.reshape(len(images), 784).astype(np.float32)
    return x, digits.target


def test_seed_mlp_reaches_over_90_percent_validation_accuracy():
    x, labels = _digits_as_784_features()
    order = np.random.default_rng(0).permutation(len(x))
    x, labels = x[order], labels[order]
    x_train, x_val = x[:1400], x[1400:]
    num_classes = 10
    y_train = to_categorical(labels[:1400], num_classes)
    y_val = to_categorical(labels[1400:], num_classes)

    lamella.utils.set_random_seed(1)
    model = Sequential()
    model.add(Dense(512, activation="relu", input_shape=(784,)))
    model.add(Dropout(0.2))
    model.add(Dense(512, activation="relu"))
    model.add(Dropout(0.2))
    model.add(Dense(num_classes, activation="softmax"))
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, epochs=8, batch_size=32, verbose=0,
                        validation_data=(x_val, y_val))

    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history.history["val_accuracy"][-1] > 0.9
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, accuracy = model.evaluate(x_val, y_val, verbose=0)
    assert accuracy == pytest.approx(history.history["val_accuracy"][-1], abs=1e-6)
    predictions = model.predict(x_val, verbose=0)
    assert predictions.shape == (len(x_val), 10)
    np.testing.assert_allclose(predictions.sum(1), 1.0, rtol=1e-5)
    assert (predictions.argmax(1) == labels[1400:]).mean() == pytest.approx(accuracy, abs=1e-6)


def test_seed_dense_example_with_initializer_regularizer_and_constraint_strings():
    model = Sequential()
    model.add(Dense(32, input_shape=(16,), kernel_initializer="he_uniform",
                    kernel_regularizer=None, kernel_constraint="MaxNorm", activation="relu"))
    model.add(Dense(16, activation="relu"))
    model.add(Dense(8))
    first = model.layers[0]
    assert isinstance(first.kernel_initializer, initializers.HeUniform)
    assert isinstance(first.kernel_constraint, constraints.MaxNorm)
    assert first.kernel_regularizer is None
    kernel = np.asarray(first.kernel.value)
    assert np.abs(kernel).max() <= np.sqrt(6 / 16)  # he_uniform's limit for fan_in 16
    assert [tuple(w.shape) for w in model.weights] == [(16, 32), (32,), (32, 16), (16,), (16, 8), (8,)]
    assert model.count_params() == 16 * 32 + 32 + 32 * 16 + 16 + 16 * 8 + 8

    # The constraint is applied after every optimizer step: columns of norm <= 2.
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 16)).astype(np.float32) * 10
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, rng.normal(size=(64, 8)).astype(np.float32) * 100, epochs=2, verbose=0)
    norms = np.linalg.norm(np.asarray(first.kernel.value), axis=0)
    assert norms.max() <= 2.0 + 1e-5


def test_seed_to_categorical_of_the_ten_digit_labels():
    labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    np.testing.assert_array_equal(to_categorical(labels), np.eye(10))
    assert to_categorical(labels).dtype == np.float32
