"""Functional models: the graph of layer calls between symbolic inputs and outputs.

``Model(inputs, outputs)`` walks back from the outputs through the nodes that made
them, orders the nodes so each runs after its inputs, and replays them on real
arrays when the model is called. Inputs and outputs may be single tensors, lists or
dicts; the model is called and returns with the same structure.
"""

import jax

from lamella.engine import functional_config, masking
from lamella.engine.input_layer import InputLayer
from lamella.engine.layer_order import keras_layer_order
from lamella.engine.model import Model
from lamella.engine.symbolic_tensor import SymbolicTensor


def _is_symbolic(x):
    return isinstance(x, SymbolicTensor)


def _flatten(structure):
    """Leaves in insertion order (``jax.tree`` would sort dict keys; a model's
    inputs and outputs keep the order they were given in)."""
    if isinstance(structure, dict):
        return [leaf for value in structure.values() for leaf in _flatten(value)]
    if isinstance(structure, list | tuple):
        return [leaf for value in structure for leaf in _flatten(value)]
    return [structure]


def order_nodes(outputs):
    """The nodes producing ``outputs``, inputs first (each after its parents)."""
    ordered = []
    visited = set()
    in_progress = set()

    def visit(node):
        if id(node) in visited:
            return
        if id(node) in in_progress:
            raise ValueError(
                f"The graph has a cycle through layer {node.layer.name!r}."
            )
        in_progress.add(id(node))
        for parent in node.parent_nodes:
            visit(parent)
        in_progress.discard(id(node))
        visited.add(id(node))
        ordered.append(node)

    for tensor in outputs:
        layer, node_index, _ = tensor._history
        visit(layer._inbound_nodes[node_index])
    return ordered


class Functional(Model):
    """A model defined by its symbolic inputs and outputs.

    Args:
        inputs: the model's input tensor(s) from ``lamella.Input``: one, a list, or a
            dict by name.
        outputs: the output tensor(s): one, a list, or a dict by name.
        name: the model's name.
        trainable: whether its weights are trained.
    """

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        Model.__init__(self, name=name, trainable=trainable, **kwargs)
        for label, structure in (("inputs", inputs), ("outputs", outputs)):
            flat = _flatten(structure)
            if not flat or not all(_is_symbolic(t) for t in flat):
                raise ValueError(
                    f"All {label} of a functional model must be symbolic tensors "
                    f"(from lamella.Input and layer calls). Received: {label}={structure!r}"
                )
        for tensor in _flatten(inputs):
            layer = tensor._history[0] if tensor._history else None
            if not isinstance(layer, InputLayer):
                raise ValueError(
                    "A functional model's inputs must come from lamella.Input(...). "
                    f"Received: {tensor!r}, produced by layer "
                    f"{getattr(layer, 'name', None)!r}."
                )
        if isinstance(inputs, dict):
            for key, tensor in inputs.items():
                if tensor.name is not None and tensor.name != key:
                    tensor._history[0].name = key
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._input_tensors = _flatten(inputs)
        self._output_tensors = _flatten(outputs)
        self._nodes = order_nodes(self._output_tensors)
        # An input no output depends on still belongs to the model (it is fed, and
        # ignored): its node joins the graph so configs and summaries list it.
        for tensor in reversed(self._input_tensors):
            layer, node_index, _ = tensor._history
            node = layer._inbound_nodes[node_index]
            if node not in self._nodes:
                self._nodes.insert(0, node)
        self._check_inputs_reach_outputs()
        unused_inputs = [t._history[0] for t in self._input_tensors]
        self._graph_layers = keras_layer_order(self._output_tensors, unused_inputs)
        names = [layer.name for layer in self._graph_layers]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(
                f"The name(s) {duplicates} are used by more than one layer of model "
                f"{self.name!r}; layer names must be unique within a model."
            )
        self.built = True

    def _check_inputs_reach_outputs(self):
        available = {id(t) for t in self._input_tensors}
        for node in self._nodes:
            if node.is_input:
                if not any(id(t) in available for t in node.output_tensors):
                    layer = node.layer
                    raise ValueError(
                        "Graph disconnected: the outputs depend on input "
                        f"{layer.name!r}, which is not among the model's inputs "
                        f"{[t._history[0].name for t in self._input_tensors]}."
                    )
                continue
            for tensor in node.output_tensors:
                available.add(id(tensor))

    # -- structure ---------------------------------------------------------------------

    @property
    def layers(self):
        """Every layer of the graph, input layers first, in execution order."""
        return list(self._graph_layers)

    def _direct_children(self):
        return list(self._graph_layers)

    @property
    def inputs(self):
        return self._input_tensors

    @property
    def input(self):
        """The inputs as given to the constructor (one tensor, a list or a dict), as
        Keras's functional models answer; also after the model was called as a layer."""
        return self._inputs_struct

    @property
    def output(self):
        """The outputs as given to the constructor."""
        return self._outputs_struct

    @property
    def outputs(self):
        return self._output_tensors

    @property
    def input_names(self):
        return [t._history[0].name for t in self._input_tensors]

    @property
    def output_names(self):
        if isinstance(self._outputs_struct, dict):
            return list(self._outputs_struct)
        return [t._history[0].name for t in self._output_tensors]

    @property
    def input_shape(self):
        shapes = [t.shape for t in self._input_tensors]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [t.shape for t in self._output_tensors]
        return shapes[0] if len(shapes) == 1 else shapes

    # -- running -----------------------------------------------------------------------

    def _flatten_inputs(self, inputs):
        """The call's inputs in the order of ``self._input_tensors``."""
        structure = self._inputs_struct
        if isinstance(structure, dict):
            if not isinstance(inputs, dict):
                if isinstance(inputs, list | tuple) and len(inputs) == len(structure):
                    return list(inputs)
                raise ValueError(
                    f"Model {self.name!r} takes a dict of inputs with keys "
                    f"{sorted(structure)}. Received: {type(inputs).__name__}"
                )
            missing = sorted(set(structure) - set(inputs))
            if missing:
                raise ValueError(
                    f"Model {self.name!r} is missing inputs {missing}; expected keys "
                    f"{sorted(structure)}, received {sorted(inputs)}."
                )
            return [inputs[key] for key in structure]
        if isinstance(inputs, dict):
            names = self.input_names
            if sorted(inputs) == sorted(names):
                return [inputs[name] for name in names]
            raise ValueError(
                f"Model {self.name!r} has inputs named {names}. Received a dict with "
                f"keys {sorted(inputs)}."
            )
        flat = list(inputs) if isinstance(inputs, list | tuple) else [inputs]
        if len(flat) != len(self._input_tensors):
            raise ValueError(
                f"Model {self.name!r} expects {len(self._input_tensors)} input(s), but "
                f"it received {len(flat)} input tensors."
            )
        return flat

    def call(self, inputs, training=None, mask=None):
        from lamella.engine.input_spec import InputSpec, assert_input_compatibility

        from lamella.engine import call_context

        values = {}
        masks = {}
        input_masks = _flatten(mask) if masking.has_mask(mask) else []
        for index, (tensor, value) in enumerate(
            zip(self._input_tensors, self._flatten_inputs(inputs))
        ):
            # A text input reaches a compiled step already turned into numbers by
            # the host stage (training/host_stage.py): its shape is the host layers'.
            if not (tensor.dtype == "string" and (call_context.host_stage_done() or tensor.shape[-1:] == (1,))):
                spec = InputSpec(shape=tensor.shape, ndim=len(tensor.shape))
                assert_input_compatibility(spec, value, tensor._history[0].name)
            values[id(tensor)] = value
            if index < len(input_masks):
                masks[id(tensor)] = input_masks[index]
        for node in self._nodes:
            if node.is_input:
                continue
            args, kwargs = node.map_arguments(values)
            if training is not None and "training" not in kwargs:
                kwargs["training"] = training
            # The mask of the layer's inputs, in the structure of its inputs.
            node_mask = _map_symbolic(lambda t: masks.get(id(t)), node.inputs)
            outputs, output_mask = masking.call_with_mask(
                node.layer, args[0], node_mask, *args[1:], **kwargs
            )
            flat_outputs = _flatten_values(outputs)
            for tensor, value, value_mask in zip(
                node.output_tensors, flat_outputs, _align_masks(output_mask, len(flat_outputs))
            ):
                values[id(tensor)] = value
                masks[id(tensor)] = value_mask
        masking.report_output_mask(
            self, _map_symbolic(lambda t: masks.get(id(t)), self._outputs_struct)
        )
        return jax.tree.map(lambda t: values[id(t)], self._outputs_struct, is_leaf=_is_symbolic)

    # Masks travel between the layers here (see ``engine/masking.py``).
    _propagates_masks = True

    def compute_mask(self, inputs, mask=None):
        return masking.call_with_mask(self, inputs, mask)[1]

    def _convert_inputs(self, inputs):
        # Each layer converts and casts its own inputs: an int input feeding an
        # Embedding must not be cast to the model's float dtype.
        from lamella.engine.layer import _is_text
        from lamella.ops.core import convert_to_tensor

        return jax.tree.map(
            lambda x: convert_to_tensor(x) if hasattr(x, "__array__") and not _is_text(x) else x,
            inputs,
        )

    # -- serialization -----------------------------------------------------------------

    def get_config(self):
        return functional_config.functional_to_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return functional_config.functional_from_config(cls, config, custom_objects)


def _flatten_values(outputs):
    return jax.tree.leaves(outputs)


def _map_symbolic(fn, structure):
    """``structure`` with each symbolic tensor replaced by ``fn(tensor)`` and any
    other leaf by ``None``; ``None`` when every result is ``None``."""
    if _is_symbolic(structure):
        return fn(structure)
    if isinstance(structure, dict):
        mapped = {k: _map_symbolic(fn, v) for k, v in structure.items()}
        return mapped if masking.has_mask(mapped) else None
    if isinstance(structure, list | tuple):
        mapped = [_map_symbolic(fn, v) for v in structure]
        return mapped if masking.has_mask(mapped) else None
    return None


def _align_masks(output_mask, count):
    """One mask (or ``None``) per output array."""
    if output_mask is None:
        return [None] * count
    if isinstance(output_mask, list | tuple):
        masks = list(output_mask)
        return masks + [None] * (count - len(masks))
    return [output_mask] + [None] * (count - 1)
