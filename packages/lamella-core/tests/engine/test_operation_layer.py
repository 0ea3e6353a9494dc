"""OperationLayer: lamella.ops functions as graph nodes, and the Keras 3 op nodes
(keras.src.ops.*) that become them when a Keras config is read."""

import numpy as np
import pytest

import lamella
from lamella.engine.operation_layer import OperationLayer
from lamella.models import model_from_config
from lamella.saving import keras_config


def test_an_operation_node_with_a_constant_and_fixed_arguments():
    x = lamella.Input((4,))
    plus = OperationLayer("add", name="plus")(x, 1.0)
    total = OperationLayer("sum", {"axis": -1, "keepdims": True})(plus)
    model = lamella.Model(x, total)
    data = np.arange(8, dtype=np.float32).reshape(2, 4)
    np.testing.assert_allclose(model.predict(data, verbose=0), (data + 1).sum(-1, keepdims=True))
    clone = model_from_config({"class_name": "Functional", "config": model.get_config()})
    np.testing.assert_array_equal(clone.predict(data, verbose=0), model.predict(data, verbose=0))
    assert clone.get_layer("plus").get_config()["operation"] == "add"


def test_inputs_keep_their_dtype():
    ids = lamella.Input((3,), dtype="int32")
    mask = OperationLayer("not_equal")(ids, 0)
    assert mask.dtype == "bool"
    model = lamella.Model(ids, OperationLayer("cast", {"dtype": "float32"})(mask))
    np.testing.assert_array_equal(model.predict(np.array([[0, 4, 0]], np.int32), verbose=0), [[0.0, 1.0, 0.0]])


@pytest.mark.parametrize("operation", ["__import__", "os", "numpy", "_private", "eval"])
def test_only_public_ops_functions_can_be_named(operation):
    with pytest.raises(ValueError, match=f"lamella.ops function for operation. Received: operation={operation!r}"):
        OperationLayer(operation)


def _keras_op(class_name, module, config, args):
    return {"module": module, "class_name": class_name, "config": config, "registered_name": None,
            "name": config["name"], "inbound_nodes": [{"args": args, "kwargs": {}}]}


def _tensor(name, shape, dtype="float32"):
    return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": dtype, "keras_history": [name, 0, 0]}}


def test_keras_op_nodes_become_operation_layers():
    # What Keras 3 writes for a = Input((4,)); cast(not_equal(a, 0)) * (a + 1), summed.
    layers = [
        {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None, "name": "a",
         "config": {"batch_shape": [None, 4], "dtype": "float32", "sparse": False, "ragged": False, "name": "a"},
         "inbound_nodes": []},
        _keras_op("NotEqual", "keras.src.ops.numpy", {"name": "not_equal"}, [_tensor("a", [None, 4]), 0]),
        _keras_op("Cast", "keras.src.ops.core", {"name": "cast", "dtype": "float32"},
                  [_tensor("not_equal", [None, 4], "bool")]),
        _keras_op("Add", "keras.src.ops.numpy", {"name": "add"}, [_tensor("a", [None, 4]), 1.0]),
        _keras_op("Multiply", "keras.src.ops.numpy", {"name": "multiply"},
                  [_tensor("cast", [None, 4]), _tensor("add", [None, 4])]),
        _keras_op("Sum", "keras.src.ops.numpy", {"name": "sum", "axis": -1, "keepdims": True},
                  [_tensor("multiply", [None, 4])]),
    ]
    config = {"module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
              "config": {"name": "ops_model", "trainable": True, "layers": layers,
                         "input_layers": ["a", 0, 0], "output_layers": ["sum", 0, 0]}}
    translated = keras_config.from_keras(config)
    entries = {e["name"]: e for e in translated["config"]["layers"]}
    assert entries["sum"]["class_name"] == "OperationLayer"
    assert entries["sum"]["config"] == {"name": "sum", "operation": "sum", "arguments": {"axis": -1, "keepdims": True}}
    model = model_from_config(translated)
    data = np.array([[0.0, 1.0, 2.0, 0.0], [3.0, 0.0, 0.0, 0.0]], np.float32)
    expected = ((data != 0) * (data + 1)).sum(-1, keepdims=True)
    np.testing.assert_allclose(model.predict(data, verbose=0), expected)
