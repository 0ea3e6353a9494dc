"""Files written by Keras 3 (and in Keras 2's layout) load into lamella and predict
the same, to float32 tolerance."""

import json

import h5py
import numpy as np
import pytest

import lamella
from lamella.layers import Activation, Dense, Dropout, Flatten
from lamella.models import load_model

pytestmark = pytest.mark.keras_parity


def _keras_functional(keras):
    """Keras 3: a shared layer called twice, a nested Sequential, two outputs."""
    a = keras.Input((3,), name="a")
    inner = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(5, activation="tanh"),
         keras.layers.Dropout(0.3), keras.layers.Dense(4)],
        name="inner",
    )
    shared = keras.layers.Dense(4, activation="relu", name="shared")
    h = inner(shared(a))
    out = keras.layers.Activation("softmax", name="out")(keras.layers.Dense(2, name="logits")(h))
    aux = keras.layers.Dense(1, name="aux")(shared(a))
    model = keras.Model(a, [out, aux])
    model.compile(optimizer="adam", loss=["categorical_crossentropy", "mse"], loss_weights=[1.0, 0.2])
    return model


def _lamella_functional():
    """The same architecture written with lamella."""
    a = lamella.Input((3,), name="a")
    inner = lamella.Sequential(
        [lamella.Input((4,)), Dense(5, activation="tanh"), Dropout(0.3), Dense(4)], name="inner"
    )
    shared = Dense(4, activation="relu", name="shared")
    h = inner(shared(a))
    out = Activation("softmax", name="out")(Dense(2, name="logits")(h))
    aux = Dense(1, name="aux")(shared(a))
    return lamella.Model(a, [out, aux])


@pytest.fixture
def keras_model(keras, rng, tmp_path):
    model = _keras_functional(keras)
    x = rng.normal(size=(16, 3)).astype(np.float32)
    model.fit(x, [np.eye(2)[np.arange(16) % 2], np.ones((16, 1))], epochs=2, verbose=0)
    return model, x


def _assert_same(lamella_outputs, keras_outputs):
    for got, want in zip(lamella_outputs, keras_outputs):
        np.testing.assert_allclose(got, np.asarray(want), rtol=1e-6, atol=1e-6)


def test_keras3_model_file_loads_compiled_and_predicts_the_same(keras_model, tmp_path):
    model, x = keras_model
    model.save(tmp_path / "k.keras")
    loaded = load_model(tmp_path / "k.keras")
    _assert_same(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.get_layer("shared").get_output_at(1) is not None  # both calls rebuilt
    assert loaded.compiled and loaded.loss == ["categorical_crossentropy", "mse"]
    # Training runs (Dropout active: the file's recorded training=False is not kept).
    history = loaded.fit(x, [np.eye(2)[np.arange(16) % 2], np.ones((16, 1))], epochs=1, verbose=0)
    assert set(history.history) >= {"loss", "out_loss", "aux_loss"}


def test_keras3_weights_file_loads_into_the_same_architecture(keras_model, tmp_path):
    model, x = keras_model
    model.save_weights(tmp_path / "k.weights.h5")
    ours = _lamella_functional()
    ours.load_weights(tmp_path / "k.weights.h5")
    _assert_same(ours.predict(x, verbose=0), model.predict(x, verbose=0))


def test_keras3_weights_file_by_name(keras_model, tmp_path):
    model, x = keras_model
    model.save_weights(tmp_path / "k.weights.h5")
    a = lamella.Input((3,))
    shared = Dense(4, activation="relu", name="shared")
    ours = lamella.Model(a, Dense(1, name="aux")(shared(a)))
    ours.load_weights(tmp_path / "k.weights.h5", by_name=True)
    _assert_same([ours.predict(x, verbose=0)], [model.predict(x, verbose=0)[1]])


def test_legacy_h5_from_keras3_loads_as_model_and_as_weights(keras_model, tmp_path):
    from keras.src.legacy.saving import legacy_h5_format

    model, x = keras_model
    legacy_h5_format.save_model_to_hdf5(model, str(tmp_path / "k.h5"))
    loaded = load_model(tmp_path / "k.h5")
    _assert_same(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    ours = _lamella_functional()
    ours.load_weights(tmp_path / "k.h5")
    _assert_same(ours.predict(x, verbose=0), model.predict(x, verbose=0))


def test_keras3_sequential_built_without_input(keras, rng, tmp_path):
    model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(3, activation="relu"),
                              keras.layers.Dense(2)])
    model.build((None, 2, 2))
    x = rng.normal(size=(4, 2, 2)).astype(np.float32)
    model.save(tmp_path / "s.keras")
    loaded = load_model(tmp_path / "s.keras")
    _assert_same([loaded.predict(x, verbose=0)], [model.predict(x, verbose=0)])
    ours = lamella.Sequential([Flatten(), Dense(3, activation="relu"), Dense(2)])
    ours.build((None, 2, 2))
    ours.load_weights(tmp_path / "s.keras")
    _assert_same([ours.predict(x, verbose=0)], [model.predict(x, verbose=0)])


def test_keras3_subclassed_weights_load_by_attribute_names(keras, rng, tmp_path):
    class KerasTwo(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(4, activation="relu")
            self.head = keras.layers.Dense(1)

        def call(self, x):
            return self.head(self.hidden(x))

    class LamellaTwo(lamella.Model):
        def __init__(self):
            super().__init__()
            self.hidden = Dense(4, activation="relu")
            self.head = Dense(1)

        def call(self, x):
            return self.head(self.hidden(x))

    x = rng.normal(size=(5, 3)).astype(np.float32)
    theirs = KerasTwo()
    expected = np.asarray(theirs(x))
    theirs.save_weights(tmp_path / "sub.weights.h5")
    ours = LamellaTwo()
    ours(x)
    ours.load_weights(tmp_path / "sub.weights.h5")
    np.testing.assert_allclose(np.asarray(ours(x)), expected, rtol=1e-6, atol=1e-6)


def _write_keras2_h5(path, kernel1, bias1, kernel2, bias2):
    """A Keras 2 full-model file, in the layout tf.keras 2.x wrote: the config and
    training config as JSON attributes, weights under model_weights/<layer>/<layer>/
    <weight>:0 with layer_names / weight_names attributes."""
    config = {
        "class_name": "Sequential",
        "config": {"name": "sequential", "layers": [
            {"class_name": "InputLayer", "config": {
                "batch_input_shape": [None, 3], "dtype": "float32", "sparse": False,
                "ragged": False, "name": "dense_input"}},
            {"class_name": "Dense", "config": {
                "name": "dense", "trainable": True, "dtype": "float32",
                "batch_input_shape": [None, 3], "units": 4, "activation": "relu",
                "use_bias": True,
                "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
                "bias_initializer": {"class_name": "Zeros", "config": {}},
                "kernel_regularizer": None, "bias_regularizer": None,
                "activity_regularizer": None, "kernel_constraint": None,
                "bias_constraint": None}},
            {"class_name": "Dropout", "config": {
                "name": "dropout", "trainable": True, "dtype": "float32", "rate": 0.5,
                "noise_shape": None, "seed": None}},
            {"class_name": "Dense", "config": {
                "name": "dense_1", "trainable": True, "dtype": "float32", "units": 2,
                "activation": "softmax", "use_bias": True,
                "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
                "bias_initializer": {"class_name": "Zeros", "config": {}},
                "kernel_regularizer": None, "bias_regularizer": None,
                "activity_regularizer": None, "kernel_constraint": None,
                "bias_constraint": None}},
        ]},
    }
    training = {
        "loss": "categorical_crossentropy", "metrics": ["accuracy"], "loss_weights": None,
        "weighted_metrics": None,
        "optimizer_config": {"class_name": "RMSprop", "config": {
            "name": "RMSprop", "learning_rate": 0.001, "decay": 0.0, "rho": 0.9,
            "momentum": 0.0, "epsilon": 1e-07, "centered": False}},
    }
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = b"2.4.0"
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(config).encode()
        f.attrs["training_config"] = json.dumps(training).encode()
        weights = f.create_group("model_weights")
        weights.attrs["layer_names"] = [b"dense", b"dropout", b"dense_1"]
        for name, values in (("dense", (kernel1, bias1)), ("dropout", ()), ("dense_1", (kernel2, bias2))):
            group = weights.create_group(name)
            names = [f"{name}/kernel:0".encode(), f"{name}/bias:0".encode()][: len(values)]
            group.attrs["weight_names"] = names
            for weight_name, value in zip(names, values):
                group.create_dataset(weight_name.decode(), data=value)


def test_keras2_h5_model_file_loads_and_matches_numpy(rng, tmp_path):
    k1, b1 = rng.normal(size=(3, 4)).astype(np.float32), rng.normal(size=4).astype(np.float32)
    k2, b2 = rng.normal(size=(4, 2)).astype(np.float32), rng.normal(size=2).astype(np.float32)
    _write_keras2_h5(tmp_path / "keras2.h5", k1, b1, k2, b2)
    model = load_model(tmp_path / "keras2.h5")
    x = rng.normal(size=(6, 3)).astype(np.float32)
    logits = np.maximum(x @ k1 + b1, 0) @ k2 + b2
    expected = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
    assert model.compiled and type(model.optimizer).__name__ == "RMSprop"
    ours = lamella.Sequential([lamella.Input((3,)), Dense(4, activation="relu"), Dropout(0.5),
                               Dense(2, activation="softmax")])
    ours.load_weights(tmp_path / "keras2.h5")
    np.testing.assert_allclose(ours.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)


def test_wrong_architecture_keras_weights_leave_the_model_untouched(keras_model, tmp_path):
    model, _ = keras_model
    model.save_weights(tmp_path / "k.weights.h5")
    a = lamella.Input((3,), name="a")
    wrong = lamella.Model(a, Dense(7)(Dense(4, name="shared")(a)))
    before = wrong.get_weights()
    with pytest.raises(ValueError, match="Keras weight file"):
        wrong.load_weights(tmp_path / "k.weights.h5")
    for got, want in zip(wrong.get_weights(), before):
        np.testing.assert_array_equal(got, want)


def test_keras_to_json_builds_the_same_graph_in_lamella(keras_model):
    from lamella.models import model_from_json

    model, x = keras_model
    ours = model_from_json(model.to_json())
    assert [layer.name for layer in ours.layers] == [layer.name for layer in model.layers]
    ours.set_weights([np.asarray(w) for w in model.get_weights()])
    _assert_same(ours.predict(x, verbose=0), model.predict(x, verbose=0))
