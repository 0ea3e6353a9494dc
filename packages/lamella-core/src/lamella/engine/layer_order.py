"""The order of a functional model's ``layers``, as Keras lists them.

Keras 3 numbers the layers of a ``.weights.h5`` file by class in the order of
``model.layers`` (``conv2d``, ``conv2d_1``, ...), and Keras 2 files loaded by
topology pair layers in that order too; so lamella lists a graph's layers exactly as
Keras does, or the same file would put a branch's weights into the other branch
(ResNet's shortcut convolution and its main path, for instance).

Keras's rule: a layer's depth is its longest distance (in layer calls) to an output;
layers are listed by decreasing depth, ties broken by the order in which a
depth-first walk back from the outputs first meets them. Execution order is
unaffected: any order by decreasing depth runs every layer after its inputs.
"""


def keras_layer_order(outputs, extra_input_layers=()):
    """The layers producing ``outputs`` (symbolic tensors), in Keras's order.

    Args:
        outputs: the model's output tensors, flattened.
        extra_input_layers: input layers no output depends on (listed first).

    Returns:
        A list of layers, each once.
    """
    first_seen = {}  # id(layer) -> traversal index
    layers_by_id = {}
    post_order = []  # nodes, inputs first
    finished = set()

    def walk(tensor):
        # Iterative, so a very deep graph does not hit Python's recursion limit.
        stack = [(tensor, False)]
        while stack:
            current, expanded = stack.pop()
            layer, node_index, _ = current._history
            node = layer._inbound_nodes[node_index]
            if expanded:
                if id(node) not in finished:
                    finished.add(id(node))
                    post_order.append(node)
                continue
            if id(node) in finished:
                continue
            if id(layer) not in first_seen:
                first_seen[id(layer)] = len(first_seen)
                layers_by_id[id(layer)] = layer
            stack.append((current, True))
            for parent in reversed(node.input_tensors):
                if parent._history is not None:
                    stack.append((parent, False))

    for tensor in outputs:
        walk(tensor)

    node_depth = {}
    layer_depth = {}
    for node in reversed(post_order):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = depth
        node_depth[id(node)] = depth
        for tensor in node.input_tensors:
            if tensor._history is None:
                continue
            layer, node_index, _ = tensor._history
            parent = layer._inbound_nodes[node_index]
            node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    ordered = sorted(layer_depth, key=lambda key: (-layer_depth[key], first_seen[key]))
    extra = [layer for layer in extra_input_layers if id(layer) not in layer_depth]
    return extra + [layers_by_id[key] for key in ordered]
