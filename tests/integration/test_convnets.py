"""Convolutional models end to end: the Keras MNIST convnet on upsampled digits,
a VGG-style stack with BatchNormalization, and a Conv1D text-style model."""

import jax
import numpy as np
import pytest
from sklearn.datasets import load_digits

import lamella
from lamella import layers
from lamella.models import Sequential
from lamella.utils import to_categorical


def _digits_as_images():
    """scikit-learn's 8x8 digits upsampled (nearest) to 28x28x1 in [0, 1]."""
    digits = load_digits()
    rows = (np.arange(28) * 8) // 28
    images = digits.images[:, rows][:, :, rows] / 16.0
    order = np.random.default_rng(0).permutation(len(images))
    return images[order, :, :, None].astype(np.float32), digits.target[order]


def test_keras_mnist_convnet_reaches_over_95_percent_validation_accuracy():
    x, labels = _digits_as_images()
    x_train, x_val = x[:1500], x[1500:]
    y_train, y_val = to_categorical(labels[:1500], 10), to_categorical(labels[1500:], 10)
    lamella.utils.set_random_seed(0)
    model = Sequential([
        lamella.Input((28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])
    assert model.output_shape == (None, 10)
    assert model.count_params() == 34826  # the Keras example's count
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=32, epochs=4, verbose=0,
                        validation_data=(x_val, y_val))
    assert history.history["val_accuracy"][-1] > 0.95
    predictions = model.predict(x_val, verbose=0)
    assert (predictions.argmax(1) == labels[1500:]).mean() > 0.95


def test_vgg_style_model_with_batch_normalization_trains():
    x, labels = _digits_as_images()
    x, labels = x[:640, ::2, ::2], labels[:640]  # 14x14 images
    lamella.utils.set_random_seed(1)
    model = Sequential([lamella.Input((14, 14, 1))])
    for filters in (16, 32):
        model.add(layers.Conv2D(filters, 3, padding="same", use_bias=False))
        # momentum 0.9: 120 steps are too few for the default 0.99's moving
        # statistics to forget their initial values (as in Keras).
        model.add(layers.BatchNormalization(momentum=0.9))
        model.add(layers.ReLU())
        model.add(layers.Conv2D(filters, 3, padding="same", activation="relu"))
        model.add(layers.MaxPooling2D())
    model.add(layers.GlobalAveragePooling2D())
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    history = model.fit(x, labels, batch_size=32, epochs=6, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.8
    bn = model.layers[1]
    assert np.abs(bn.moving_mean.numpy()).sum() > 0  # updated by fit
    _, accuracy = model.evaluate(x, labels, verbose=0)
    assert accuracy > 0.8  # inference with the moving statistics agrees with training


def test_conv1d_text_style_model_trains_on_token_patterns():
    # Sequences of one-hot "tokens"; the class is whether the bigram (3, 7) occurs.
    rng = np.random.default_rng(0)
    tokens = rng.integers(0, 10, size=(800, 30))
    positions = rng.integers(0, 29, size=800)
    positive = rng.random(800) < 0.5
    tokens[positive, positions[positive]] = 3
    tokens[positive, positions[positive] + 1] = 7
    labels = ((tokens[:, :-1] == 3) & (tokens[:, 1:] == 7)).any(axis=1).astype(np.float32)
    x = np.eye(10, dtype=np.float32)[tokens]
    lamella.utils.set_random_seed(2)
    model = Sequential([
        lamella.Input((30, 10)),
        layers.Conv1D(32, 2, activation="relu", padding="causal"),
        layers.SpatialDropout1D(0.1),
        layers.Conv1D(16, 3, activation="relu"),
        layers.GlobalMaxPooling1D(),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    history = model.fit(x[:640], labels[:640], batch_size=32, epochs=8, verbose=0,
                        validation_data=(x[640:], labels[640:]))
    assert history.history["val_accuracy"][-1] > 0.9


@pytest.mark.parametrize("make", [
    lambda: layers.Conv2D(4, 3, padding="same"),
    lambda: layers.SeparableConv2D(4, 3, padding="same"),
    lambda: layers.LocallyConnected2D(4, 3),
], ids=["conv2d", "separable", "locally-connected"])
def test_models_with_convolutions_save_and_reload_their_config(make):
    model = Sequential([lamella.Input((8, 8, 2)), make(), layers.Flatten(), layers.Dense(3)])
    x = np.random.default_rng(0).normal(size=(2, 8, 8, 2)).astype(np.float32)
    rebuilt = lamella.models.model_from_json(model.to_json())
    rebuilt.set_weights(model.get_weights())
    np.testing.assert_allclose(rebuilt.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_a_convnet_fed_by_a_generator_trains_as_from_memory_without_a_device_loop(rng):
    # On CPU, XLA runs convolutions inside a while loop's body an order of magnitude
    # slower, so streamed chunks of a convnet run as back-to-back single steps;
    # the result is the same training.
    x = rng.random((48, 8, 8, 1)).astype(np.float32)
    y = to_categorical(rng.integers(0, 3, 48), 3)

    def model():
        lamella.utils.set_random_seed(1)
        built = Sequential([lamella.Input((8, 8, 1)), layers.Conv2D(4, 3, activation="relu"),
                            layers.Flatten(), layers.Dense(3, activation="softmax")])
        built.compile(optimizer="adam", loss="categorical_crossentropy", steps_per_execution=4)
        return built

    def batches():
        for _ in range(2):
            for i in range(0, 48, 8):
                yield x[i:i + 8], y[i:i + 8]

    from_memory = model()
    from_memory.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    streamed = model()
    streamed.fit(batches(), steps_per_epoch=6, epochs=2, verbose=0)
    for a, b in zip(streamed.get_weights(), from_memory.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    if jax.default_backend() == "cpu":
        assert streamed._engine._functions[("stream-device-loop-ok",)] is False
