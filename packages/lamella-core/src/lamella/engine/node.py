"""Nodes: one per call of a layer on symbolic tensors.

Calling a layer on symbolic tensors appends a ``Node`` to the layer's inbound nodes
and to each input layer's outbound nodes. The nodes form the graph a functional model
runs; their indices are what ``layer.get_output_at(node_index)`` refers to.
"""

import jax

from lamella.engine.symbolic_tensor import SymbolicTensor


def _is_symbolic(x):
    return isinstance(x, SymbolicTensor)


class Node:
    """A call of ``layer`` on symbolic ``call_args``/``call_kwargs`` giving ``outputs``.

    Only the symbolic tensors among the arguments are graph edges; other arguments
    (``training=True``, a constant array, a Python number) are replayed as given.
    """

    def __init__(self, layer, call_args=(), call_kwargs=None, outputs=None):
        self.layer = layer
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.outputs = outputs
        leaves = jax.tree.leaves(
            (self.call_args, self.call_kwargs), is_leaf=_is_symbolic
        )
        self.input_tensors = [x for x in leaves if _is_symbolic(x)]
        self.output_tensors = [
            x for x in jax.tree.leaves(outputs, is_leaf=_is_symbolic) if _is_symbolic(x)
        ]
        self.parent_nodes = []
        for x in self.input_tensors:
            if x._history is not None:
                parent_layer, node_index, _ = x._history
                parent = parent_layer._inbound_nodes[node_index]
                if parent not in self.parent_nodes:
                    self.parent_nodes.append(parent)
        if layer is not None:
            node_index = len(layer._inbound_nodes)
            layer._inbound_nodes.append(self)
            for tensor_index, tensor in enumerate(self.output_tensors):
                tensor._history = (layer, node_index, tensor_index)
            for parent in self.parent_nodes:
                parent.layer._outbound_nodes.append(self)

    @property
    def is_input(self):
        return not self.input_tensors

    @property
    def inputs(self):
        """The first positional argument: the layer's ``inputs`` in this call."""
        return self.call_args[0] if self.call_args else None

    def input_shapes(self):
        return jax.tree.map(
            lambda x: x.shape if _is_symbolic(x) else None,
            self.inputs,
            is_leaf=_is_symbolic,
        )

    def output_shapes(self):
        return jax.tree.map(
            lambda x: x.shape, self.outputs, is_leaf=_is_symbolic
        )

    def map_arguments(self, tensor_values):
        """The call's arguments with each symbolic input replaced by its value.

        ``tensor_values`` maps ``id(symbolic tensor)`` to a computed array.
        """

        def replace(x):
            if _is_symbolic(x):
                return tensor_values[id(x)]
            return x

        args = jax.tree.map(replace, self.call_args, is_leaf=_is_symbolic)
        kwargs = jax.tree.map(replace, self.call_kwargs, is_leaf=_is_symbolic)
        return args, kwargs
