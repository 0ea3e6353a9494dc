"""The Keras 2 node API of layers: ``input``, ``output`` and ``get_output_at``.

A layer called on symbolic tensors several times (a shared layer) has one node per
call. ``layer.output`` is then ambiguous, and it raises the error Keras 2 raised,
pointing to ``get_output_at(node_index)``.
"""


class LayerNodesMixin:
    """Accessors over ``self._inbound_nodes``, mixed into ``Layer``."""

    @property
    def inbound_nodes(self):
        return list(self._inbound_nodes)

    @property
    def outbound_nodes(self):
        return list(self._outbound_nodes)

    def _node_at(self, node_index, attribute):
        if not self._inbound_nodes:
            raise AttributeError(
                f"Layer {self.name} has never been called on symbolic tensors, so it "
                f"has no {attribute}."
            )
        try:
            return self._inbound_nodes[node_index]
        except IndexError:
            raise ValueError(
                f"Asked for the {attribute} of node {node_index} of layer "
                f"{self.name}, but the layer has only {len(self._inbound_nodes)} "
                "inbound node(s)."
            ) from None

    def _single_node(self, attribute, method):
        if len(self._inbound_nodes) > 1:
            raise AttributeError(
                f"Layer {self.name} has multiple inbound nodes, hence the notion of "
                f'"layer {attribute}" is ill-defined. Use `{method}(node_index)` '
                "instead."
            )
        return self._node_at(0, attribute)

    def get_input_at(self, node_index):
        """The input tensor(s) of the layer's call number ``node_index``."""
        return self._node_at(node_index, "input").inputs

    def get_output_at(self, node_index):
        """The output tensor(s) of the layer's call number ``node_index``."""
        return self._node_at(node_index, "output").outputs

    def get_input_shape_at(self, node_index):
        return self._node_at(node_index, "input shape").input_shapes()

    def get_output_shape_at(self, node_index):
        return self._node_at(node_index, "output shape").output_shapes()

    @property
    def input(self):
        """The input tensor(s) of a layer called once on symbolic tensors."""
        return self._single_node("input", "get_input_at").inputs

    @property
    def output(self):
        """The output tensor(s) of a layer called once on symbolic tensors."""
        return self._single_node("output", "get_output_at").outputs

    @property
    def input_shape(self):
        """The input shape, when every call of the layer had the same one."""
        return self._shared_shape("input shape", "get_input_shape_at", "input_shapes")

    @property
    def output_shape(self):
        """The output shape, when every call of the layer had the same one."""
        return self._shared_shape(
            "output shape", "get_output_shape_at", "output_shapes"
        )

    def _shared_shape(self, attribute, method, node_method):
        if not self._inbound_nodes:
            raise AttributeError(
                f"The layer {self.name} has never been called and thus has no "
                f"defined {attribute}."
            )
        shapes = {repr(getattr(n, node_method)()) for n in self._inbound_nodes}
        if len(shapes) > 1:
            raise AttributeError(
                f'The layer "{self.name}" has multiple inbound nodes with different '
                f'{attribute}s. Hence the notion of "{attribute}" is ill-defined for '
                f"the layer. Use `{method}(node_index)` instead."
            )
        return getattr(self._inbound_nodes[0], node_method)()
