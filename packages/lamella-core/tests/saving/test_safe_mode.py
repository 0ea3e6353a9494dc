"""Safe loading: code payloads refused, functions by name, hostile configs."""

import json
import os
import zipfile

import numpy as np
import pytest

import lamella
from lamella.models import model_from_config
from lamella.saving import (
    UnsafeConfigError,
    deserialize_function,
    load_model,
    serialize_function,
)


class MiniLambda(lamella.Layer):
    """A Lambda written on core alone, the way a Lambda layer uses the helpers."""

    def __init__(self, function, **kwargs):
        super().__init__(**kwargs)
        self.function = function

    def call(self, inputs):
        return self.function(inputs)

    def get_config(self):
        return {**super().get_config(), "function": serialize_function(self.function)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config.pop("arguments", None)
        function = deserialize_function(config.pop("function"), layer_name=config.get("name"))
        return cls(function, **config)


def double(x):
    return x * 2


@pytest.fixture
def keras_lambda_file(keras, tmp_path):
    model = keras.Sequential([
        keras.Input((3,)),
        keras.layers.Lambda(lambda x: x * 3.0 + 1.0, name="affine"),
        keras.layers.Lambda(double, name="doubler"),
    ])
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    model.save(tmp_path / "lambda.keras")
    return tmp_path / "lambda.keras", x, np.asarray(model.predict(x, verbose=0))


def test_keras_lambda_bytecode_is_refused_in_safe_mode(keras_lambda_file):
    path, _, _ = keras_lambda_file
    with pytest.raises(UnsafeConfigError, match="(?s)'affine'.*custom_objects=.*safe_mode=False"):
        load_model(path, custom_objects={"Lambda": MiniLambda, "double": double})


def test_keras_lambda_loads_with_its_function_given_by_name(keras_lambda_file):
    path, x, _ = keras_lambda_file
    model = load_model(path, custom_objects={
        "Lambda": MiniLambda, "affine": lambda t: t - 1.0, "double": double,
    })
    np.testing.assert_allclose(model.predict(x, verbose=0), (x - 1.0) * 2)


def test_keras_lambda_bytecode_runs_only_with_safe_mode_off(keras_lambda_file):
    path, x, expected = keras_lambda_file
    model = load_model(path, custom_objects={"Lambda": MiniLambda, "double": double}, safe_mode=False)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-6)


def test_a_named_function_missing_from_custom_objects_is_named(keras_lambda_file):
    path, _, _ = keras_lambda_file
    with pytest.raises(ValueError, match="(?s)'doubler' calls the Python function 'double'.*custom_objects"):
        load_model(path, custom_objects={"Lambda": MiniLambda}, safe_mode=False)


def test_lamella_writes_functions_by_name_never_as_code(tmp_path):
    x = lamella.Input((3,))
    model = lamella.Model(x, MiniLambda(double, name="twice")(x))
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        layer = json.loads(archive.read("config.json"))["config"]["layers"][1]
    assert layer["config"]["function"] == {"class_name": "function", "config": "double"}
    loaded = load_model(tmp_path / "m.keras", custom_objects={"MiniLambda": MiniLambda, "double": double})
    np.testing.assert_array_equal(loaded.predict(np.ones((1, 3)), verbose=0), [[2.0, 2.0, 2.0]])


def test_keras2_lambda_payload_is_refused_by_model_from_config():
    config = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 2], "name": "i"}},
        {"class_name": "Lambda", "config": {
            "name": "evil", "function": ["4wEAAAAAAAAA", None, None],
            "function_type": "lambda", "module": "__main__", "output_shape": None,
            "output_shape_type": "raw", "arguments": {}}},
    ]}}
    with pytest.raises(UnsafeConfigError, match="'evil'"):
        model_from_config(config)


def _write_zip(path, config):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        archive.writestr("model.weights.h5", b"")


def test_a_config_naming_an_arbitrary_module_imports_and_runs_nothing(tmp_path, monkeypatch):
    called = []
    monkeypatch.setattr(os, "system", lambda command: called.append(command))
    marker = tmp_path / "pwned"
    config = {"module": "os", "class_name": "system", "registered_name": None,
              "config": {"command": f"touch {marker}"}}
    _write_zip(tmp_path / "hostile.keras", config)
    with pytest.raises(ValueError, match="(?s)'system'.*module 'os'; lamella never imports modules"):
        load_model(tmp_path / "hostile.keras")
    assert not called and not marker.exists()


def test_a_function_position_naming_builtins_eval_is_not_resolved(tmp_path):
    x = lamella.Input((3,))
    from lamella.testing import Linear

    config = lamella.Model(x, Linear(2, activation="relu")(x)).get_config()
    config["layers"][1]["config"]["activation"] = {
        "module": "builtins", "class_name": "function", "config": "eval",
        "registered_name": "function"}
    model = model_from_config({"class_name": "Functional", "config": config},
                              custom_objects={"Linear": Linear})
    # Linear resolves its activation when called: by name, in the registry only.
    with pytest.raises(ValueError, match="Unknown activation: 'eval'"):
        model(np.ones((1, 3), np.float32))


def test_deserialize_function_needs_safe_mode_off_for_payloads():
    import base64
    import marshal

    code = base64.b64encode(marshal.dumps((lambda x, k=2: x * k).__code__)).decode()
    payload = {"class_name": "__lambda__", "config": {"code": code, "defaults": [3], "closure": None}}
    with pytest.raises(UnsafeConfigError):
        deserialize_function(payload, layer_name="l")
    from lamella.saving import safe_mode_scope

    with safe_mode_scope(False):
        function = deserialize_function(payload, layer_name="l")
    assert function(5) == 15
    with safe_mode_scope(False), pytest.raises(ValueError, match="another Python version"):
        deserialize_function({"class_name": "__lambda__", "config": {"code": "AAAA"}})
