"""Keras 3 and Keras 2 configs read as lamella configs."""

import numpy as np

import lamella
from lamella.engine.functional_config import TENSOR_TAG
from lamella.models import model_from_config, model_from_json
from lamella.saving.keras_config import from_keras, written_by_keras
from lamella.testing import Linear


def _tensor(name, node=0, index=0):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": [None, 3], "dtype": "float32", "keras_history": [name, node, index]}}


def test_keras3_objects_lose_their_modules_and_wrappers():
    config = {
        "module": "keras.layers", "class_name": "Dense", "registered_name": None,
        "build_config": {"input_shape": [None, 3]},
        "config": {
            "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float16"},
                      "registered_name": None, "shared_object_id": 1},
            "kernel_size": {"class_name": "__tuple__", "config": {"value": [3, 3]}},
            "table": {"class_name": "__numpy__", "config": {"value": [1, 2], "dtype": "int32"}},
            "activation": {"module": "builtins", "class_name": "function", "config": "relu",
                           "registered_name": "function"},
            "quantization_config": None, "lora_rank": 4,
        },
    }
    assert from_keras(config) == {
        "module": "keras.layers", "class_name": "Dense",
        "config": {"dtype": "float16", "kernel_size": [3, 3], "table": [1, 2],
                   "activation": "relu", "lora_rank": 4},
    }


def test_registered_custom_names_are_kept():
    config = {"module": "my_pkg", "class_name": "Scale", "registered_name": "my_pkg>Scale", "config": {}}
    assert from_keras(config)["class_name"] == "my_pkg>Scale"


def test_keras3_nodes_become_lamella_references_without_the_training_flag():
    entry = {"module": "keras.layers", "class_name": "Dropout", "config": {"rate": 0.5},
             "name": "d", "inbound_nodes": [{"args": [_tensor("a")], "kwargs": {"training": False}}]}
    node = from_keras(entry)["inbound_nodes"][0]
    assert node == {"args": [{TENSOR_TAG: ["a", 0, 0]}], "kwargs": {}}


def test_keras2_nodes_and_single_inputs_and_outputs():
    config = {"class_name": "Model", "config": {
        "name": "m",
        "layers": [
            {"class_name": "InputLayer", "name": "in", "inbound_nodes": [],
             "config": {"batch_input_shape": [None, 3], "name": "in", "ragged": False}},
            {"class_name": "Linear", "name": "a", "config": {"units": 2, "name": "a"},
             "inbound_nodes": [[["in", 0, 0, {}]]]},
            {"class_name": "Linear", "name": "b", "config": {"units": 2, "name": "b"},
             "inbound_nodes": [[["in", 0, 0, {}]], [["a", 0, 0, {"scale": 2}]]]},
        ],
        "input_layers": [["in", 0, 0]], "output_layers": [["b", 1, 0]],
    }}
    translated = from_keras(config)["config"]
    assert translated["input_layers"] == ["in", 0, 0]
    assert translated["layers"][0]["config"] == {"batch_input_shape": [None, 3], "name": "in"}
    assert translated["layers"][2]["inbound_nodes"][1] == {
        "args": [{TENSOR_TAG: ["a", 0, 0]}], "kwargs": {"scale": 2}}


def test_keras2_functional_json_named_model_builds_and_shares_layers():
    config = {"class_name": "Model", "keras_version": "2.4.0", "config": {
        "name": "m",
        "layers": [
            {"class_name": "InputLayer", "name": "in", "inbound_nodes": [],
             "config": {"batch_input_shape": [None, 3], "name": "in"}},
            {"class_name": "Linear", "name": "shared", "config": {"units": 3, "name": "shared"},
             "inbound_nodes": [[["in", 0, 0, {}]], [["shared", 0, 0, {}]]]},
        ],
        "input_layers": [["in", 0, 0]], "output_layers": [["shared", 1, 0]],
    }}
    import json

    model = model_from_json(json.dumps(config), custom_objects={"Linear": Linear})
    shared = model.get_layer("shared")
    assert len(shared.inbound_nodes) == 2 and model.output_shape == (None, 3)
    x = np.ones((2, 3), np.float32)
    kernel, bias = shared.get_weights()
    np.testing.assert_allclose(model(x), (x @ kernel + bias) @ kernel + bias, rtol=1e-6)


def test_sequential_build_input_shape_becomes_an_input_layer():
    config = {"module": "keras", "class_name": "Sequential", "config": {
        "name": "s", "build_input_shape": [None, 4],
        "layers": [{"module": "x", "class_name": "Linear", "config": {"units": 2, "name": "l"}}]}}
    model = model_from_config(config, custom_objects={"Linear": Linear})
    assert model.built and model.input_shape == (None, 4) and model.output_shape == (None, 2)


def test_lamella_configs_are_unchanged():
    x = lamella.Input((3,), name="x")
    model = lamella.Model(x, Linear(2, name="y")(Linear(4, name="h")(x, training=True)))
    from lamella.saving import serialization

    config = serialization.serialize_object(model)
    assert not written_by_keras(config)
    assert from_keras(config) == config
