"""``model.summary()``: the Keras table of layers, output shapes and parameters.

Optimizer slots and metric state are never counted: the totals are the model's
weights (trainable and non-trainable), with their size in memory.
"""

import numpy as np


def _format_size(num_bytes):
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if num_bytes < 1024 or unit == "TB":
            return f"{num_bytes:.2f} {unit}"
        num_bytes /= 1024
    return f"{num_bytes:.2f} TB"  # pragma: no cover


def _weights_size(variables):
    count = sum(v.size for v in variables)
    nbytes = sum(v.size * np.dtype(v.dtype).itemsize for v in variables)
    return count, nbytes


def _output_shape(layer):
    nodes = layer._inbound_nodes
    if not nodes:
        return _shape_from_build(layer)
    shapes = {repr(n.output_shapes()) for n in nodes}
    if len(shapes) > 1:
        return "multiple"
    return _shape_text(nodes[0].output_shapes())


def _is_shape(value):
    return isinstance(value, tuple) and all(d is None or isinstance(d, int) for d in value)


def _shape_from_build(layer):
    """The output shape of a layer built by an eager call (batch axis unknown)."""
    import jax

    shapes = getattr(layer, "_build_shapes", None)
    if not layer.built or shapes is None:
        return "?"

    def unbatched(shape):
        return (None, *shape[1:]) if shape else shape

    try:
        shapes = jax.tree.map(unbatched, shapes, is_leaf=_is_shape)
        return _shape_text(layer.compute_output_shape(shapes))
    except Exception:  # noqa: BLE001 - a summary shows "?" rather than fail
        return "?"


def _shape_text(shape):
    if isinstance(shape, tuple):
        return "(" + ", ".join("None" if d is None else str(d) for d in shape) + (
            ",)" if len(shape) == 1 else ")"
        )
    if isinstance(shape, list):
        return "[" + ", ".join(_shape_text(s) for s in shape) + "]"
    if isinstance(shape, dict):
        return "{" + ", ".join(f"{k}: {_shape_text(s)}" for k, s in shape.items()) + "}"
    return str(shape)


def _param_count(layer):
    if not layer.built:
        return "0 (unbuilt)"
    return f"{layer.count_params():,}"


def _connections(layer, model):
    in_model = {id(n) for n in getattr(model, "_nodes", ())}
    sources = []
    for node in layer._inbound_nodes:
        if id(node) not in in_model:
            continue
        for tensor in node.input_tensors:
            parent, node_index, tensor_index = tensor._history
            sources.append(f"{parent.name}[{node_index}][{tensor_index}]")
    return sources


def _rows(model, expand_nested, show_trainable, functional, depth=0):
    from lamella.engine.input_layer import InputLayer
    from lamella.engine.model import Model

    rows = []
    for layer in model.layers:
        if isinstance(layer, InputLayer) and not functional:
            continue
        name = ("  " * depth) + f"{layer.name} ({type(layer).__name__})"
        row = [name, _output_shape(layer), _param_count(layer)]
        if functional:
            row.append(", ".join(_connections(layer, model)))
        if show_trainable:
            row.append("Y" if layer.trainable else "N")
        rows.append(row)
        if expand_nested and isinstance(layer, Model):
            inner_functional = hasattr(layer, "_nodes")
            for inner in _rows(layer, True, show_trainable, inner_functional, depth + 1):
                if functional and not inner_functional:
                    inner.insert(3, "")
                rows.append(inner[: len(row)])
    return rows


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False, show_trainable=False):
    functional = hasattr(model, "_nodes")
    headers = ["Layer (type)", "Output Shape", "Param #"]
    if functional:
        headers.append("Connected to")
    if show_trainable:
        headers.append("Trainable")
    rows = _rows(model, expand_nested, show_trainable, functional)
    line_length = line_length or (98 if functional else 65)
    if positions is None:
        fractions = [0.45, 0.75, 1.0] if not functional else [0.33, 0.55, 0.67, 1.0]
        if show_trainable:
            fractions = [f * 0.9 for f in fractions] + [1.0]
        positions = [int(line_length * f) for f in fractions]
    elif all(p <= 1 for p in positions):
        positions = [int(line_length * p) for p in positions]
    widths = [positions[0]] + [b - a for a, b in zip(positions, positions[1:])]

    def line(cells):
        text = ""
        for cell, width in zip(cells, widths):
            text += (" " + str(cell))[: width - 1].ljust(width)
        return text.rstrip()

    out = []
    out.append(f'Model: "{model.name}"')
    out.append("_" * line_length)
    out.append(line(headers))
    out.append("=" * line_length)
    for index, row in enumerate(rows):
        out.append(line(row))
        if index < len(rows) - 1:
            out.append("")
    out.append("=" * line_length)
    if model.built:
        total, total_bytes = _weights_size(model.weights)
        trainable, trainable_bytes = _weights_size(model.trainable_weights)
        frozen, frozen_bytes = _weights_size(model.non_trainable_weights)
        out.append(f"Total params: {total:,} ({_format_size(total_bytes)})")
        out.append(f"Trainable params: {trainable:,} ({_format_size(trainable_bytes)})")
        out.append(f"Non-trainable params: {frozen:,} ({_format_size(frozen_bytes)})")
    else:
        out.append("Total params: 0 (the model is not built yet)")
    out.append("_" * line_length)
    text = "\n".join(out)
    (print_fn or print)(text)
