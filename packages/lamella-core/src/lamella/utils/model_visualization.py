"""``plot_model``: a model's graph drawn by Graphviz, and ``model_to_dot``.

The graph is written in Graphviz's DOT language by lamella itself; drawing it to PNG,
SVG, PDF or JPEG needs Graphviz's ``dot`` program on the ``PATH`` (not a Python
dependency: ``apt install graphviz``, ``brew install graphviz``, ``conda install
graphviz``). A file name ending in ``.dot`` gets the DOT text, no Graphviz needed.
"""

import os
import shutil
import subprocess
import tempfile

from lamella.utils import file_io

_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".jpg": "jpg", ".jpeg": "jpg", ".gif": "gif"}


def _quote(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _shape_text(shapes):
    from lamella.engine.summary import _shape_text as text

    return text(shapes)


def _label(layer, options):
    parts = []
    if options["show_layer_names"]:
        parts.append(f"{layer.name} ({type(layer).__name__})")
    else:
        parts.append(type(layer).__name__)
    if options["show_layer_activations"] and hasattr(layer, "activation"):
        activation = getattr(layer.activation, "__name__", layer.activation)
        parts.append(f"activation: {activation}")
    if options["show_dtype"]:
        parts.append(f"dtype: {layer.dtype}")
    if options["show_shapes"] and layer._inbound_nodes:
        node = layer._inbound_nodes[-1]
        if not node.is_input:
            parts.append(f"input: {_shape_text(node.input_shapes())}")
        parts.append(f"output: {_shape_text(node.output_shapes())}")
    if options["show_trainable"]:
        parts.append("trainable" if layer.trainable else "frozen")
    return "\n".join(parts)


def _graph_nodes(model):
    """The model's nodes that belong to its graph (functional or sequential)."""
    nodes = getattr(model, "_nodes", None)
    if nodes is None:
        nodes = getattr(model, "_built_nodes", None)
        if nodes is not None and model._stack:
            input_layer = model._stack[0]
            nodes = input_layer._inbound_nodes[:1] + list(nodes)
    return nodes


class _Writer:
    def __init__(self, options):
        self.options = options
        self.lines = []

    def node_id(self, layer):
        return f"layer_{id(layer)}"

    def model(self, model, indent="  "):
        """Writes the model's layers and edges; returns its (entry, exit) ids per
        layer, so that an enclosing graph can connect to a nested model."""
        from lamella.engine.input_layer import InputLayer
        from lamella.engine.model import Model

        nodes = _graph_nodes(model)
        if nodes is None:
            raise ValueError(
                f"plot_model draws functional and sequential models; {model.name!r} is "
                "a subclassed model, whose graph is only known to its call()."
            )
        ends = {}
        in_model = {id(n) for n in nodes}
        for layer in dict.fromkeys(n.layer for n in nodes):
            if self.options["expand_nested"] and isinstance(layer, Model) and _graph_nodes(layer):
                self.lines.append(f"{indent}subgraph cluster_{id(layer)} {{")
                self.lines.append(f"{indent}  label={_quote(layer.name)};")
                inner = self.model(layer, indent + "  ")
                self.lines.append(f"{indent}}}")
                firsts = [inner[id(t._history[0])][0] for t in layer.inputs]
                lasts = [inner[id(t._history[0])][1] for t in layer.outputs]
                ends[id(layer)] = (firsts, lasts)
                continue
            ident = self.node_id(layer)
            shape = "box" if not isinstance(layer, InputLayer) else "oval"
            self.lines.append(f"{indent}{ident} [label={_quote(_label(layer, self.options))}, shape={shape}];")
            ends[id(layer)] = ([ident], [ident])
        for node in nodes:
            if id(node) not in in_model:
                continue
            for tensor in node.input_tensors:
                parent = tensor._history[0]
                for source in _as_list(ends[id(parent)][1]):
                    for target in _as_list(ends[id(node.layer)][0]):
                        self.lines.append(f"{indent}{source} -> {target};")
        return ends


def _as_list(value):
    flat = []
    for item in value if isinstance(value, list) else [value]:
        flat.extend(_as_list(item) if isinstance(item, list) else [item])
    return flat


def model_to_dot(
    model,
    show_shapes=False,
    show_dtype=False,
    show_layer_names=True,
    rankdir="TB",
    expand_nested=False,
    dpi=200,
    show_layer_activations=False,
    show_trainable=False,
):
    """The model's graph as DOT source text (see ``plot_model`` for the arguments).

    Unlike Keras, which returns a ``pydot.Dot``, this returns the DOT text itself:
    lamella does not depend on pydot.
    """
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"rankdir must be 'TB', 'LR', 'BT' or 'RL'. Received: rankdir={rankdir!r}")
    if not model.built:
        raise ValueError(
            f"Model {model.name!r} is not built yet: give it an Input or call it on data "
            "before plotting it."
        )
    options = {
        "show_shapes": show_shapes, "show_dtype": show_dtype,
        "show_layer_names": show_layer_names, "expand_nested": expand_nested,
        "show_layer_activations": show_layer_activations, "show_trainable": show_trainable,
    }
    writer = _Writer(options)
    writer.lines.append(f"digraph {_quote(model.name)} {{")
    writer.lines.append(f"  graph [rankdir={rankdir}, dpi={int(dpi)}];")
    writer.lines.append('  node [fontname="Helvetica"];')
    writer.model(model)
    writer.lines.append("}")
    return "\n".join(writer.lines) + "\n"


def plot_model(
    model,
    to_file="model.png",
    show_shapes=False,
    show_dtype=False,
    show_layer_names=True,
    rankdir="TB",
    expand_nested=False,
    dpi=200,
    show_layer_activations=False,
    show_trainable=False,
):
    """Draws the model's graph to an image file.

    Args:
        model: a functional or sequential model.
        to_file: the image file; its extension picks the format (``.png``,
            ``.svg``, ``.pdf``, ``.jpg``, ``.gif``; ``.dot`` for the DOT text).
        show_shapes: show each layer's input and output shapes.
        show_dtype: show each layer's dtype.
        show_layer_names: show layer names (else only class names).
        rankdir: ``'TB'`` (top to bottom) or ``'LR'`` (left to right), ...
        expand_nested: draw nested models' layers inside a box.
        dpi: the image resolution.
        show_layer_activations: show the activation of layers that have one.
        show_trainable: mark frozen layers.

    Raises:
        ImportError: when the format needs Graphviz and ``dot`` is not installed.

    Example:

    >>> plot_model(model, "model.dot", show_shapes=True)  # doctest: +SKIP
    """
    dot_text = model_to_dot(
        model, show_shapes=show_shapes, show_dtype=show_dtype,
        show_layer_names=show_layer_names, rankdir=rankdir, expand_nested=expand_nested,
        dpi=dpi, show_layer_activations=show_layer_activations, show_trainable=show_trainable,
    )
    to_file = os.fspath(to_file)
    extension = os.path.splitext(to_file)[1].lower()
    if extension == ".dot":
        file_io.atomic_write_text(to_file, dot_text)
        return
    if extension not in _FORMATS:
        raise ValueError(
            f"plot_model writes {', '.join(sorted(_FORMATS))} or .dot files. "
            f"Received: to_file={to_file!r}"
        )
    dot = shutil.which("dot")
    if dot is None:
        raise ImportError(
            "plot_model needs Graphviz's `dot` program to draw images, and it is not on "
            "the PATH. Install Graphviz (apt install graphviz, brew install graphviz, "
            "conda install graphviz), or save the graph's text with a to_file ending "
            "in .dot."
        )
    folder = os.path.dirname(os.path.abspath(to_file))
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        output = os.path.join(scratch, "graph" + extension)
        result = subprocess.run(
            [dot, f"-T{_FORMATS[extension]}", "-o", output],
            input=dot_text, text=True, capture_output=True, check=False,
        )
        if result.returncode != 0 or not os.path.exists(output):
            raise RuntimeError(
                f"Graphviz's dot failed to draw {to_file} (exit {result.returncode}): "
                f"{result.stderr.strip()}"
            )
        os.replace(output, to_file)
