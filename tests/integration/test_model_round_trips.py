"""Round trips of models built from the real layer catalogue — config, JSON, whole
model (``.keras`` and ``.h5``), weights (by topology and by name) — predict
bit-identically. The models hold what tends to break: several inputs and outputs,
Embedding + LSTM, a shared layer, BatchNormalization statistics, a nested model
inside TimeDistributed."""

import numpy as np
import pytest

import lamella
from lamella import layers
from lamella.models import Model, Sequential, load_model, model_from_config, model_from_json


def _headline():
    words = layers.Input(shape=(7,), dtype="int32", name="words")
    extra = layers.Input(shape=(3,), name="extra")
    encoded = layers.LSTM(6)(layers.Embedding(20, 5, mask_zero=True)(words))
    shared = layers.Dense(4, activation="tanh", name="shared")
    x = layers.concatenate([shared(encoded), shared(layers.Dense(6)(extra))])
    x = layers.BatchNormalization()(x)
    main = layers.Dense(1, activation="sigmoid", name="main")(x)
    aux = layers.Dense(2, activation="softmax", name="aux")(encoded)
    return Model([words, extra], [main, aux])


def _video():
    frame = Sequential([
        layers.Input((6, 6, 2)), layers.Conv2D(3, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(), layers.Flatten(),
    ], name="frame_encoder")
    clip = layers.Input((4, 6, 6, 2))
    codes = layers.TimeDistributed(frame)(clip)
    return Model(clip, layers.Dense(2)(layers.GRU(3)(codes)))


def _headline_data(rng, n=12):
    words = rng.integers(0, 20, size=(n, 7)).astype(np.int32)
    words[:, -2:] = 0  # padding, masked by the Embedding
    return [words, rng.normal(size=(n, 3)).astype(np.float32)]


def _video_data(rng, n=5):
    return rng.normal(size=(n, 4, 6, 6, 2)).astype(np.float32)


CASES = {"headline": (_headline, _headline_data), "video": (_video, _video_data)}


@pytest.fixture(params=sorted(CASES))
def trained(request, rng):
    build, data = CASES[request.param]
    lamella.utils.set_random_seed(3)
    model = build()
    x = data(rng)
    if request.param == "headline":
        y = [rng.random((12, 1)).astype(np.float32), np.eye(2)[rng.integers(0, 2, 12)].astype(np.float32)]
        model.compile(optimizer="adam", loss=["binary_crossentropy", "categorical_crossentropy"])
    else:
        y = rng.normal(size=(5, 2)).astype(np.float32)
        model.compile(optimizer="rmsprop", loss="mse")
    # Trained, so that the weights (and BatchNormalization's statistics) are not
    # their initial values: a round trip that re-initialized would show.
    model.fit(x, y, epochs=2, batch_size=4, verbose=0)
    return model, x


def _assert_identical(a, b):
    for got, want in zip(_as_list(a), _as_list(b), strict=True):
        np.testing.assert_array_equal(got, want)


def _as_list(outputs):
    return list(outputs) if isinstance(outputs, list | tuple) else [outputs]


def test_config_round_trip_with_the_weights_predicts_identically(trained):
    model, x = trained
    clone = model_from_config({"class_name": type(model).__name__, "config": model.get_config()})
    clone.set_weights(model.get_weights())
    _assert_identical(clone.predict(x, verbose=0), model.predict(x, verbose=0))
    assert clone.get_config() == model.get_config()


def test_json_round_trip_with_the_weights_predicts_identically(trained):
    model, x = trained
    clone = model_from_json(model.to_json())
    assert [type(layer) for layer in clone.layers] == [type(layer) for layer in model.layers]
    clone.set_weights(model.get_weights())
    _assert_identical(clone.predict(x, verbose=0), model.predict(x, verbose=0))
    assert clone.to_json() == model.to_json()


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_whole_model_round_trip_predicts_identically(trained, tmp_path, suffix):
    model, x = trained
    model.save(tmp_path / f"m{suffix}")
    loaded = load_model(tmp_path / f"m{suffix}")
    _assert_identical(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    for ours, theirs in zip(loaded.optimizer.variables, model.optimizer.variables, strict=True):
        np.testing.assert_array_equal(np.asarray(ours.value), np.asarray(theirs.value))


@pytest.mark.parametrize("by_name", [False, True])
def test_weights_round_trip_predicts_identically(trained, tmp_path, by_name):
    model, x = trained
    model.save_weights(tmp_path / "w.weights.h5")
    lamella.utils.set_random_seed(99)  # other initial weights
    fresh = model_from_json(model.to_json())
    assert any(not np.array_equal(a, b) for a, b in zip(fresh.get_weights(), model.get_weights()))
    fresh.load_weights(tmp_path / "w.weights.h5", by_name=by_name)
    _assert_identical(fresh.predict(x, verbose=0), model.predict(x, verbose=0))
