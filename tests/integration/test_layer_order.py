"""A functional model lists its layers in Keras's order (decreasing depth, ties by
first visit from the outputs), which Keras weight files depend on."""

import numpy as np
import pytest

import lamella
from lamella import layers


def _branched(api):
    inputs = api.Input(shape=(6,))
    short = api.layers.Dense(5, name="short")(inputs)
    long = api.layers.Dense(4, name="long_a")(inputs)
    long = api.layers.Dense(5, name="long_b")(long)
    merged = api.layers.Add(name="add")([short, long])
    side = api.layers.Dense(5, name="side")(inputs)
    out = api.layers.Concatenate(name="concat")([merged, side])
    return api.Model(inputs, api.layers.Dense(2, name="head")(out))


def test_layers_are_listed_by_decreasing_depth():
    model = _branched(lamella)
    names = [l.name for l in model.layers]
    # long_a is two calls from the Add, short one: long_a comes first.
    assert names.index("long_a") < names.index("short") < names.index("add")
    assert names[-1] == "head"


@pytest.mark.keras_parity
def test_layer_order_matches_keras_and_keras3_weights_load(keras, tmp_path):
    reference = _branched(keras)
    model = _branched(lamella)
    assert [l.name for l in model.layers][1:] == [l.name for l in reference.layers][1:]
    rng = np.random.default_rng(0)
    for variable in reference.weights:
        variable.assign(rng.normal(size=variable.shape).astype(np.float32))
    path = tmp_path / "branched.weights.h5"
    reference.save_weights(path)
    model.load_weights(str(path))
    x = rng.normal(size=(3, 6)).astype(np.float32)
    np.testing.assert_allclose(model.predict(x, verbose=0), reference.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_unused_inputs_come_first_and_each_layer_once():
    a = lamella.Input(shape=(3,), name="a")
    b = lamella.Input(shape=(3,), name="b")
    shared = layers.Dense(3, name="shared")
    out = shared(shared(a))
    model = lamella.Model([b, a], out)
    names = [l.name for l in model.layers]
    assert names == ["b", "a", "shared"]
