"""The config of a functional model: its layers and the calls that connect them.

Each layer's entry lists its calls in this model (``inbound_nodes``), with the
symbolic arguments written as references ``[layer_name, node_index, tensor_index]``.
Node indices are renumbered per model: a layer shared with other models counts only
the calls made inside this one.
"""

import jax

from lamella.engine.symbolic_tensor import SymbolicTensor

TENSOR_TAG = "__symbolic_tensor__"


def _is_symbolic(x):
    return isinstance(x, SymbolicTensor)


def _local_node_indices(model):
    """``{id(node): index among the layer's nodes that belong to the model}``."""
    in_model = {id(n) for n in model._nodes}
    indices = {}
    for layer in model.layers:
        local = 0
        for node in layer._inbound_nodes:
            if id(node) in in_model:
                indices[id(node)] = local
                local += 1
    return indices


def _reference(tensor, indices):
    layer, node_index, tensor_index = tensor._history
    node = layer._inbound_nodes[node_index]
    return [layer.name, indices[id(node)], tensor_index]


def _plain(value):
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _structure_to_config(structure, indices):
    return jax.tree.map(
        lambda t: _reference(t, indices), structure, is_leaf=_is_symbolic
    )


def functional_to_config(model):
    from lamella.saving import serialization

    indices = _local_node_indices(model)
    in_model = set(indices)
    layers = []
    for layer in model.layers:
        nodes = []
        for node in layer._inbound_nodes:
            if id(node) not in in_model or node.is_input:
                continue
            args, kwargs = jax.tree.map(
                lambda x: {TENSOR_TAG: _reference(x, indices)} if _is_symbolic(x) else x,
                (list(node.call_args), node.call_kwargs),
                is_leaf=_is_symbolic,
            )
            nodes.append({"args": _plain(args), "kwargs": _plain(kwargs)})
        entry = serialization.serialize_object(layer, kind="layers")
        entry["name"] = layer.name
        entry["inbound_nodes"] = nodes
        layers.append(entry)
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": _plain(_structure_to_config(model._inputs_struct, indices)),
        "output_layers": _plain(_structure_to_config(model._outputs_struct, indices)),
    }


def _is_reference(x):
    return (
        isinstance(x, list)
        and len(x) == 3
        and isinstance(x[0], str)
        and isinstance(x[1], int)
        and isinstance(x[2], int)
    )


def functional_from_config(cls, config, custom_objects=None):
    from lamella.engine.input_layer import InputLayer
    from lamella.saving import serialization

    layers = {}
    pending = []
    for entry in config["layers"]:
        layer = serialization.deserialize_object(entry, kind="layers", custom_objects=custom_objects)
        layers[entry["name"]] = layer
        pending.extend((entry["name"], i, node) for i, node in enumerate(entry["inbound_nodes"]))
    produced = {}
    for name, layer in layers.items():
        if isinstance(layer, InputLayer):
            produced[(name, 0)] = layer.output

    def resolve(value):
        if isinstance(value, dict) and set(value) == {TENSOR_TAG}:
            layer_name, node_index, tensor_index = value[TENSOR_TAG]
            outputs = produced[(layer_name, node_index)]
            return jax.tree.leaves(outputs, is_leaf=_is_symbolic)[tensor_index]
        if isinstance(value, list):
            return [resolve(v) for v in value]
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items()}
        return value

    def ready(node):
        found = []

        def collect(value):
            if isinstance(value, dict) and set(value) == {TENSOR_TAG}:
                found.append(tuple(value[TENSOR_TAG][:2]))
            elif isinstance(value, list):
                for v in value:
                    collect(v)
            elif isinstance(value, dict):
                for v in value.values():
                    collect(v)

        collect([node["args"], node["kwargs"]])
        return all(key in produced for key in found)

    # Calls can only be replayed once their inputs exist; a shared layer's second
    # call may depend on a layer listed after it, hence the passes.
    while pending:
        progressed = False
        for item in list(pending):
            name, index, node = item
            if not ready(node):
                continue
            args = resolve(node["args"])
            kwargs = resolve(node["kwargs"])
            produced[(name, index)] = layers[name](*args, **kwargs)
            pending.remove(item)
            progressed = True
        if not progressed:
            stuck = sorted({name for name, _, _ in pending})
            raise ValueError(
                f"Cannot rebuild the functional model {config.get('name')!r}: the calls "
                f"of layers {stuck} depend on tensors no layer produces."
            )

    def lookup(reference):
        layer_name, node_index, tensor_index = reference
        outputs = produced[(layer_name, node_index)]
        return jax.tree.leaves(outputs, is_leaf=_is_symbolic)[tensor_index]

    def rebuild(structure):
        if _is_reference(structure):
            return lookup(structure)
        if isinstance(structure, list):
            return [rebuild(s) for s in structure]
        if isinstance(structure, dict):
            return {k: rebuild(v) for k, v in structure.items()}
        raise ValueError(f"Invalid tensor reference in config: {structure!r}")

    inputs = rebuild(config["input_layers"])
    outputs = rebuild(config["output_layers"])
    return cls(inputs=inputs, outputs=outputs, name=config.get("name"), trainable=config.get("trainable", True))
