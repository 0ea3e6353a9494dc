"""Sequential: assembling, shapes, summary, configs."""

import json

import numpy as np
import pytest

import lamella
from lamella.engine.sequential import Sequential
from lamella.saving import object_registration


def test_input_shape_keyword_builds_at_once(linear):
    model = Sequential()
    model.add(linear(512, input_shape=(784,)))
    model.add(linear(10))
    assert model.built
    assert model.input_shape == (None, 784)
    assert model.output_shape == (None, 10)
    assert [l.name for l in model.layers] == ["linear", "linear_1"]


def test_input_dim_and_batch_size_keywords(linear):
    model = Sequential([linear(4, input_dim=100, batch_size=32)])
    assert model.input_shape == (32, 100)


def test_builds_from_first_data_without_input_shape(linear):
    model = Sequential([linear(3), linear(1)])
    assert not model.built
    out = model(np.ones((2, 5), np.float32))
    assert out.shape == (2, 1) and model.input_shape == (None, 5)


def test_incompatible_layer_is_refused_at_add(linear):
    class NeedsThreeAxes(lamella.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.input_spec = lamella.InputSpec(ndim=3)

        def call(self, x):
            return x

    model = Sequential([lamella.Input((4,)), linear(2)])
    with pytest.raises(ValueError, match="expected ndim=3"):
        model.add(NeedsThreeAxes())
    assert len(model.layers) == 1


def test_pop_removes_the_last_layer(linear):
    model = Sequential([lamella.Input((4,)), linear(3), linear(2)])
    model.pop()
    assert model.output_shape == (None, 3)


def test_duplicate_names_are_refused(linear):
    model = Sequential([lamella.Input((4,)), linear(3, name="a")])
    with pytest.raises(ValueError, match="unique names"):
        model.add(linear(3, name="a"))


def test_summary_table(linear):
    model = Sequential([lamella.Input((784,)), linear(512), linear(10)])
    lines = []
    model.summary(print_fn=lines.append)
    text = lines[0]
    assert 'Model: "sequential"' in text
    assert "linear (Linear)" in text and "(None, 512)" in text and "401,920" in text
    assert "Total params: 407,050" in text
    assert "Trainable params: 407,050" in text
    assert "Non-trainable params: 0" in text


def test_json_round_trip_with_registered_custom_layer(linear):
    object_registration.register_serializable(package="tests")(linear)
    model = Sequential([lamella.Input((3,)), linear(2, activation="relu")])
    text = model.to_json()
    config = json.loads(text)
    assert config["class_name"] == "Sequential"
    assert config["config"]["layers"][1]["class_name"] == "tests>Linear"
    clone = lamella.models.model_from_json(text)
    clone.set_weights(model.get_weights())
    x = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
    np.testing.assert_array_equal(clone.predict(x, verbose=0), model.predict(x, verbose=0))


def test_unknown_layer_in_json_names_what_to_do():
    text = json.dumps(
        {
            "class_name": "Sequential",
            "config": {"name": "s", "layers": [{"class_name": "NoSuchLayer", "config": {}, "registered_by": {"distribution": "lamella-nosuch", "version": "1.2"}}]},
        }
    )
    with pytest.raises(ValueError, match="pip install lamella-nosuch"):
        lamella.models.model_from_json(text)
