"""Keras configs (Keras 3 ``.keras``/``to_json``, Keras 2 ``.h5``/JSON) as lamella configs.

Keras 3 names every object as ``{"module", "class_name", "config",
"registered_name"}``; Keras 2 as ``{"class_name", "config"}``, with functional
graphs written as nested lists. Both become lamella's form here, in plain data,
before anything is built:

- ``module`` is kept for error messages and never imported: a class is found by its name in
  ``custom_objects``, the custom-object registry and the plugin registries only;
- tensor references (``__keras_tensor__`` in Keras 3, ``[layer, node, tensor,
  kwargs]`` in Keras 2) become lamella's;
- ``__tuple__`` and ``__numpy__`` wrappers become lists; dtype policies their name;
- Keras ops recorded as graph nodes (``keras.src.ops.*``: ``NotEqual`` for an
  Embedding's mask, ``Add`` for ``keras.ops.add``) become ``OperationLayer``s calling
  the ``lamella.ops`` function of the same name;
- Keras-only options lamella has no use for are dropped when they hold their
  inactive value (``quantization_config: None``, ``ragged: False``, ...); an active
  one is kept, so the layer refuses it by name.

Translating a lamella config changes nothing, so every loader runs configs through
``from_keras`` whatever wrote them.
"""

from lamella.engine.functional_config import TENSOR_TAG
from lamella.engine.naming import to_snake_case

# Options Keras writes that lamella's layers do not take, with their inactive values.
KERAS_ONLY_OPTIONS = {
    "quantization_config": None,
    "lora_rank": None,
    "lora_alpha": None,
    "optional": False,
    "ragged": False,
    "synchronized": False,
}

# Entry-level keys of Keras layer entries that carry no configuration lamella uses:
# the graph is rebuilt from the nodes, and shapes from the inputs.
_DROPPED_ENTRY_KEYS = ("build_config", "shared_object_id", "compile_config")

_FUNCTIONAL_NAMES = ("Functional", "Model")


def is_keras_object(value):
    """True for a Keras/lamella serialized object: a dict with a class name."""
    return isinstance(value, dict) and "class_name" in value


def from_keras(config, keras2=None):
    """The lamella form of a serialized model or layer written by Keras or lamella.

    Args:
        config: ``{"class_name": ..., "config": ...}`` as read from JSON.
        keras2: whether the file is Keras 2's (graph nodes as lists); detected from
            the nodes when ``None``.
    """
    if keras2 is None:
        keras2 = _uses_keras2_nodes(config)
    by_keras = keras2 or written_by_keras(config)
    return _translate(config, _Options(keras2, by_keras))


def written_by_keras(config):
    """Whether a serialized object comes from Keras (it names modules or versions)."""
    if isinstance(config, dict):
        if "keras_version" in config or "module" in config:
            return True
        return any(written_by_keras(v) for v in config.values())
    if isinstance(config, list):
        return any(written_by_keras(v) for v in config)
    return False


class _Options:
    def __init__(self, keras2, by_keras):
        self.keras2 = keras2
        self.by_keras = by_keras


def _uses_keras2_nodes(value):
    if isinstance(value, dict):
        nodes = value.get("inbound_nodes")
        if isinstance(nodes, list) and any(isinstance(n, list) for n in nodes):
            return True
        return any(_uses_keras2_nodes(v) for v in value.values())
    if isinstance(value, list):
        return any(_uses_keras2_nodes(v) for v in value)
    return False


def _class_name(entry):
    name = entry.get("class_name")
    registered = entry.get("registered_name")
    # Keras writes registered_name "function" for plain functions and the class name
    # (or None) for built-ins; only a "package>Name" key says more than class_name.
    if isinstance(registered, str) and ">" in registered:
        return registered
    return name


def _translate(value, options):
    if isinstance(value, list):
        return [_translate(v, options) for v in value]
    if not isinstance(value, dict):
        return value
    if not is_keras_object(value):
        return {k: _translate(v, options) for k, v in value.items()}
    name = value["class_name"]
    inner = value.get("config")
    if name == "__tuple__":
        return [_translate(v, options) for v in inner["value"]]
    if name in ("__numpy__", "__tensor__"):
        return _translate(inner["value"], options)
    if name in ("__keras_tensor__", "__symbolic_tensor__"):
        return {TENSOR_TAG: list(inner["keras_history"])}
    if name == "function":
        # A function by name (Keras 3's form); resolved from custom_objects or the
        # registries where it is used, never by importing its module.
        return inner
    if name in ("DTypePolicy", "FloatDTypePolicy") and isinstance(inner, dict):
        return inner.get("name")
    entry = {k: _translate(v, options) for k, v in value.items() if k not in _DROPPED_ENTRY_KEYS}
    entry.pop("registered_name", None)
    entry["class_name"] = _class_name(value)
    if _is_keras_operation(value) and isinstance(inner, dict):
        # An op applied to symbolic tensors (a mask's not_equal, keras.ops.add):
        # the lamella.ops function of the same name, as a layer.
        arguments = {k: v for k, v in entry["config"].items() if k != "name"}
        entry["class_name"] = "OperationLayer"
        entry.pop("module")  # lamella's class now: translating again changes nothing
        entry["config"] = {"name": inner.get("name"), "operation": to_snake_case(name), "arguments": arguments}
        inner = entry["config"]
    if isinstance(inner, dict):
        config = {k: v for k, v in entry.get("config", {}).items()
                  if not (k in KERAS_ONLY_OPTIONS and v == KERAS_ONLY_OPTIONS[k])}
        if name in _FUNCTIONAL_NAMES and "layers" in config:
            config = _functional(config, options.keras2)
        elif name == "Sequential" and "layers" in config:
            config = _sequential(config)
        entry["config"] = config
    if "inbound_nodes" in entry:
        entry["inbound_nodes"] = [_node(n, options) for n in entry["inbound_nodes"]]
    return entry


def _is_keras_operation(value):
    module = value.get("module")
    return isinstance(module, str) and (module.startswith("keras.src.ops.") or module.startswith("keras.ops"))


def _node(node, options):
    if isinstance(node, dict):
        kwargs = dict(node.get("kwargs") or {})
        if options.by_keras:
            # Keras 3 records the training flag in effect while the graph was built
            # (False); at run time it yields to the caller's flag, so a replayed
            # Dropout must not be pinned to inference by it.
            kwargs.pop("training", None)
        return {"args": list(node.get("args") or []), "kwargs": kwargs}
    if not options.keras2:
        raise ValueError(f"Unrecognized node in a functional config: {node!r}")
    # Keras 2: a node is a list of [layer_name, node_index, tensor_index, kwargs];
    # several inputs are passed to the layer as one list.
    tensors = []
    kwargs = {}
    for item in node:
        layer_name, node_index, tensor_index = item[:3]
        tensors.append({TENSOR_TAG: [layer_name, node_index, tensor_index]})
        if len(item) > 3 and item[3]:
            kwargs.update(item[3])
    kwargs.pop("training", None)
    return {"args": [tensors[0] if len(tensors) == 1 else tensors], "kwargs": kwargs}


def _functional(config, keras2):
    config = dict(config)
    for key in ("input_layers", "output_layers"):
        refs = config.get(key)
        # Keras 2 lists every model's inputs and outputs, even a single one; its
        # models were called and returned single tensors then.
        if keras2 and isinstance(refs, list) and len(refs) == 1 and isinstance(refs[0], list):
            config[key] = refs[0]
    return config


def _sequential(config):
    config = dict(config)
    layers = list(config["layers"])
    shape = config.pop("build_input_shape", None)
    first = layers[0] if layers else None
    if shape is not None and (first is None or first.get("class_name") != "InputLayer"):
        inner = (first or {}).get("config", {})
        has_shape = any(k in inner for k in ("batch_input_shape", "input_shape", "batch_shape"))
        if not has_shape:
            layers.insert(0, {"class_name": "InputLayer", "config": {"batch_shape": list(shape)}})
    config["layers"] = layers
    return config
