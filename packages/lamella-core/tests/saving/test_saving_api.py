"""Whole-model and weights files: round trips, optimizer state, mismatches, damage."""

import os
import zipfile

import jax.numpy as jnp
import numpy as np
import pytest

import lamella
from lamella.random import SeedGenerator, dropout
from lamella.saving import (
    ModelFileError,
    WeightsMismatchError,
    load_model,
    load_weights,
    register_serializable,
    save_model,
)
from lamella.testing import Linear, PlainSGD, squared_error


class Noise(lamella.Layer):
    """Dropout written on core alone: random draws that training must resume."""

    def __init__(self, rate=0.5, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)

    def call(self, inputs, training=None):
        if training:
            return dropout(inputs, self.rate, seed=self.seed_generator)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape


@pytest.fixture(autouse=True)
def _registered():
    for obj in (Linear, PlainSGD, squared_error, Noise):
        register_serializable(package="tests")(obj)


def _data(rng, n=24):
    return rng.normal(size=(n, 3)).astype(np.float32), rng.normal(size=(n, 2)).astype(np.float32)


def _model(noise=False):
    x = lamella.Input((3,), name="x")
    h = Linear(5, activation="tanh", name="hidden")(x)
    if noise:
        h = Noise(0.3, seed=3, name="noise")(h)
    y = Linear(2, name="y")(h)
    return lamella.Model(x, y)


def _trained(rng, noise=False):
    model = _model(noise)
    model.compile(optimizer=PlainSGD(0.05), loss=squared_error)
    x, y = _data(rng)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
    return model, x, y


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_whole_model_round_trip_predicts_bit_identically(tmp_path, rng, suffix):
    model, x, _ = _trained(rng)
    path = tmp_path / f"model{suffix}"
    model.save(path)
    loaded = load_model(path)
    assert type(loaded) is type(model) and loaded.name == model.name
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.compiled and isinstance(loaded.optimizer, PlainSGD)
    assert int(loaded.optimizer.iterations.value) == int(model.optimizer.iterations.value) == 6


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_training_continues_identically_after_a_whole_model_save(tmp_path, rng, suffix):
    model, x, y = _trained(rng, noise=True)
    model.save(tmp_path / f"m{suffix}")
    loaded = load_model(tmp_path / f"m{suffix}")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
    loaded.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
    # Same weights, same optimizer step count and same dropout draws afterwards.
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)
    seeds = [v for v in model.variables if getattr(v, "_is_seed_state", False)]
    loaded_seeds = [v for v in loaded.variables if getattr(v, "_is_seed_state", False)]
    np.testing.assert_array_equal(seeds[0].numpy(), loaded_seeds[0].numpy())


def test_model_file_holds_config_metadata_and_weights_and_no_pickle(tmp_path, rng):
    import json

    model, _, _ = _trained(rng)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert sorted(archive.namelist()) == ["config.json", "metadata.json", "model.weights.h5"]
        meta = json.loads(archive.read("metadata.json"))
        config = json.loads(archive.read("config.json"))
        blob = b"".join(archive.read(n) for n in archive.namelist())
    assert meta["format"] == "lamella.model" and meta["lamella_version"] == lamella.__version__
    assert meta["distributions_used"]["lamella-core"] == lamella.__version__
    assert any(p["distribution"] == "lamella-core" for p in meta["plugins"])
    assert config["class_name"] == "Functional"
    assert config["compile_config"]["optimizer"]["class_name"] == "tests>PlainSGD"
    assert config["compile_config"]["loss"] == "tests>squared_error"
    assert b"\x80\x04\x95" not in blob and b"cnumpy" not in blob  # no pickle protocol 4/2


def test_save_weights_and_load_weights_by_topology(tmp_path, rng):
    model, x, _ = _trained(rng)
    model.save_weights(tmp_path / "w.weights.h5")
    other = _model()
    load_weights(other, tmp_path / "w.weights.h5")
    np.testing.assert_array_equal(other.predict(x, verbose=0), model.predict(x, verbose=0))


def test_load_weights_by_name_fills_only_matching_layers(tmp_path, rng):
    model, _, _ = _trained(rng)
    model.save_weights(tmp_path / "w.h5")
    x = lamella.Input((3,))
    hidden = Linear(5, activation="tanh", name="hidden")
    other = lamella.Model(x, Linear(7, name="new_head")(hidden(x)))
    head_before = other.get_layer("new_head").get_weights()
    other.load_weights(tmp_path / "w.h5", by_name=True)
    for a, b in zip(hidden.get_weights(), model.get_layer("hidden").get_weights()):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(other.get_layer("new_head").get_weights(), head_before):
        np.testing.assert_array_equal(a, b)


def test_skip_mismatch_skips_a_layer_of_other_shape_and_warns(tmp_path, rng):
    model, _, _ = _trained(rng)
    model.save_weights(tmp_path / "w.h5")
    x = lamella.Input((3,))
    hidden = Linear(5, activation="tanh", name="hidden")
    head = Linear(3, name="y")  # 3 outputs instead of 2
    other = lamella.Model(x, head(hidden(x)))
    before = head.get_weights()
    with pytest.warns(UserWarning, match="Skipping layer 'y'.*shape"):
        other.load_weights(tmp_path / "w.h5", by_name=True, skip_mismatch=True)
    np.testing.assert_array_equal(hidden.get_weights()[0], model.get_layer("hidden").get_weights()[0])
    np.testing.assert_array_equal(head.get_weights()[0], before[0])


def test_wrong_architecture_raises_and_leaves_the_model_untouched(tmp_path, rng):
    model, _, _ = _trained(rng)
    model.save_weights(tmp_path / "w.h5")
    x = lamella.Input((3,))
    other = lamella.Model(x, Linear(3, name="y")(Linear(5, name="hidden")(x)))
    before = other.get_weights()
    with pytest.raises(WeightsMismatchError, match=r"Layer 'y'.*shape \(5, 3\).*\(5, 2\)"):
        other.load_weights(tmp_path / "w.h5")
    for a, b in zip(other.get_weights(), before):
        np.testing.assert_array_equal(a, b)
    deeper = lamella.Model(x, Linear(2)(Linear(5)(Linear(5)(x))))
    with pytest.raises(WeightsMismatchError, match="weights for 2 layers.*3 layers"):
        deeper.load_weights(tmp_path / "w.h5")


def test_truncated_and_corrupted_files_raise_clear_errors(tmp_path, rng):
    model, _, _ = _trained(rng)
    model.save(tmp_path / "m.keras")
    model.save_weights(tmp_path / "w.h5")
    data = (tmp_path / "m.keras").read_bytes()
    (tmp_path / "truncated.keras").write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError, match="truncated or corrupted"):
        load_model(tmp_path / "truncated.keras")
    corrupted = bytearray(data)
    start = data.index(b"\x89HDF")  # inside the stored weights member
    corrupted[start + 600: start + 700] = b"\xff" * 100
    (tmp_path / "corrupted.keras").write_bytes(bytes(corrupted))
    with pytest.raises(ModelFileError, match="damaged"):
        load_model(tmp_path / "corrupted.keras")
    weights = (tmp_path / "w.h5").read_bytes()
    (tmp_path / "w_truncated.h5").write_bytes(weights[: len(weights) // 3])
    before = model.get_weights()
    with pytest.raises(ModelFileError, match="truncated or corrupted"):
        model.load_weights(tmp_path / "w_truncated.h5")
    (tmp_path / "text.keras").write_text("not a model")
    with pytest.raises(ModelFileError, match="neither a model zip"):
        load_model(tmp_path / "text.keras")
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_weights_damaged_on_disk_fail_their_checksum(tmp_path, rng):
    model, _, _ = _trained(rng)
    kernel = model.get_layer("hidden").kernel
    kernel.assign(np.arange(15, dtype=np.float32).reshape(3, 5) + 0.5)
    model.save_weights(tmp_path / "w.h5")
    data = bytearray((tmp_path / "w.h5").read_bytes())
    start = data.find(np.asarray(kernel.value).tobytes())
    assert start > 0
    data[start + 8: start + 12] = b"\x00\x00\x80\x7f"  # one weight becomes inf
    (tmp_path / "w.h5").write_bytes(bytes(data))
    fresh = _model()
    before = fresh.get_weights()
    with pytest.raises(ModelFileError, match="damaged: reading its weights failed"):
        fresh.load_weights(tmp_path / "w.h5")
    for a, b in zip(fresh.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_weights_only_file_given_to_load_model_says_to_use_load_weights(tmp_path, rng):
    model, _, _ = _trained(rng)
    model.save_weights(tmp_path / "w.h5")
    with pytest.raises(ValueError, match="weights only.*load_weights"):
        load_model(tmp_path / "w.h5")


def test_save_refuses_bad_names_existing_files_and_unbuilt_models(tmp_path, rng):
    model, _, _ = _trained(rng)
    with pytest.raises(ValueError, match=r"\.keras or \.h5 or \.hdf5.*model\.pkl"):
        save_model(model, tmp_path / "model.pkl")
    model.save(tmp_path / "m.keras")
    with pytest.raises(FileExistsError, match="overwrite=False"):
        model.save(tmp_path / "m.keras", overwrite=False)
    unbuilt = lamella.Sequential([Linear(2)])
    with pytest.raises(ValueError, match="not built"):
        unbuilt.save(tmp_path / "u.keras")
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_a_failing_save_keeps_the_previous_file(tmp_path, rng):
    model, x, _ = _trained(rng)
    model.save(tmp_path / "m.keras")

    class Unsaveable(Linear):
        def get_config(self):
            return {**super().get_config(), "units": object()}

    z = lamella.Input((3,))
    broken = lamella.Model(z, Unsaveable(2)(z))
    with pytest.raises(TypeError, match="JSON cannot represent"):
        broken.save(tmp_path / "m.keras")
    np.testing.assert_array_equal(load_model(tmp_path / "m.keras").predict(x, verbose=0),
                                  model.predict(x, verbose=0))
    assert sorted(os.listdir(tmp_path)) == ["m.keras"]


def test_missing_custom_class_names_how_to_provide_it(tmp_path):
    class Private(Linear):
        pass

    x = lamella.Input((3,))
    model = lamella.Model(x, Private(2, name="p")(x))
    model.save(tmp_path / "m.keras")
    with pytest.raises(ValueError, match="(?s)Private.*custom_objects"):
        load_model(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras", custom_objects={"Private": Private})
    np.testing.assert_array_equal(loaded.get_weights()[0], model.get_weights()[0])


def test_subclassed_model_round_trips_with_its_build_shape(tmp_path, rng):
    class TwoLayers(lamella.Model):
        def __init__(self, units=4, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.first = Linear(units, activation="relu")
            self.second = Linear(1)

        def call(self, inputs):
            return self.second(self.first(inputs))

    model = TwoLayers(units=6)
    x = rng.normal(size=(5, 3)).astype(np.float32)
    expected = np.asarray(model(x))
    model.save(tmp_path / "sub.keras")
    loaded = load_model(tmp_path / "sub.keras", custom_objects={"TwoLayers": TwoLayers})
    assert isinstance(loaded, TwoLayers) and loaded.units == 6
    np.testing.assert_array_equal(np.asarray(loaded(x)), expected)


def test_sequential_round_trip_with_jnp_inputs(tmp_path):
    model = lamella.Sequential([lamella.Input((3,)), Linear(4), Linear(1)])
    model.save(tmp_path / "s.h5")
    loaded = load_model(tmp_path / "s.h5")
    x = jnp.ones((2, 3))
    np.testing.assert_array_equal(np.asarray(loaded(x)), np.asarray(model(x)))
