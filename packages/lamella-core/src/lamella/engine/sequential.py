"""``Sequential``: a plain stack of layers, each feeding the next."""

from lamella.engine import masking
from lamella.engine.input_layer import InputLayer
from lamella.engine.layer import Layer
from lamella.engine.model import Model
from lamella.engine.symbolic_tensor import SymbolicTensor


class Sequential(Model):
    """A model whose layers run one after the other.

    The input shape comes from an ``Input``/``InputLayer`` added first, from the
    first layer's ``input_shape``/``input_dim``/``batch_input_shape`` (Keras 2
    style), or from the first data the model sees. Once it is known, every ``add``
    checks the new layer against the previous one's output at once.

    Args:
        layers: the layers to add, in order.
        trainable: whether the model's weights are trained.
        name: the model's name.

    Example:

    >>> model = Sequential()
    >>> model.add(Dense(512, activation="relu", input_shape=(784,)))
    >>> model.add(Dropout(0.2))
    >>> model.add(Dense(10, activation="softmax"))
    >>> model.output_shape
    (None, 10)
    """

    def __init__(self, layers=None, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._stack = []
        self._built_nodes = []
        self._output_tensor = None
        for layer in layers or ():
            self.add(layer, rebuild=False)
        self._rebuild()

    # -- assembling --------------------------------------------------------------------

    def add(self, layer, rebuild=True):
        """Appends a layer (or an ``Input`` tensor, to set the input shape first)."""
        if isinstance(layer, SymbolicTensor):
            source = layer._history[0] if layer._history else None
            if not isinstance(source, InputLayer):
                raise ValueError(
                    "Sequential.add accepts tensors from lamella.Input(...) only. "
                    f"Received: {layer!r}"
                )
            layer = source
        if not isinstance(layer, Layer):
            raise TypeError(
                "Sequential.add expects a Layer instance. "
                f"Received: {layer!r} (of type {type(layer).__name__})"
            )
        if isinstance(layer, InputLayer):
            if self._stack:
                raise ValueError(
                    f"An InputLayer can only be the first layer of Sequential model "
                    f"{self.name!r}; it already has layers "
                    f"{[l.name for l in self._stack]}."
                )
        elif not self._stack and layer._batch_input_shape is not None:
            self._stack.append(InputLayer(batch_shape=layer._batch_input_shape))
        names = [l.name for l in self._stack]
        if layer.name in names:
            raise ValueError(
                f"All layers added to a Sequential model should have unique names. "
                f"Name {layer.name!r} is already the name of a layer in this model."
            )
        self._stack.append(layer)
        if rebuild:
            try:
                self._rebuild()
            except Exception:
                self._stack.pop()
                self._rebuild()
                raise

    def pop(self):
        """Removes the last layer and returns it."""
        layers = self.layers
        if not layers:
            raise TypeError(f"There are no layers in Sequential model {self.name!r} to pop.")
        layer = self._stack.pop()
        self._rebuild()
        return layer

    def _forget_graph(self):
        for node in self._built_nodes:
            if node in node.layer._inbound_nodes:
                node.layer._inbound_nodes.remove(node)
            for parent in node.parent_nodes:
                if node in parent.layer._outbound_nodes:
                    parent.layer._outbound_nodes.remove(node)
        self._built_nodes = []
        self._output_tensor = None

    def _rebuild(self):
        """Runs the stack on the input tensor, when the input shape is known."""
        self._forget_graph()
        if not self._stack or not isinstance(self._stack[0], InputLayer):
            return
        x = self._stack[0].output
        for layer in self._stack[1:]:
            count = len(layer._inbound_nodes)
            x = layer(x)
            self._built_nodes.extend(layer._inbound_nodes[count:])
        self._output_tensor = x
        self.built = True

    def build(self, input_shape=None):
        """Builds the model for ``input_shape`` (batch axis included)."""
        if self._stack and isinstance(self._stack[0], InputLayer):
            if self._output_tensor is None:
                self._rebuild()
            return
        if input_shape is None:
            raise ValueError(
                f"Sequential model {self.name!r} has no input shape yet: add an Input, "
                "give the first layer input_shape=..., or call build(input_shape)."
            )
        batch_shape = (None, *tuple(input_shape)[1:])
        self._stack.insert(0, InputLayer(batch_shape=batch_shape))
        try:
            self._rebuild()
        except Exception:
            self._stack.pop(0)
            raise

    # -- structure ---------------------------------------------------------------------

    @property
    def layers(self):
        """The layers, without the input layer (as in Keras)."""
        return [l for l in self._stack if not isinstance(l, InputLayer)]

    def _direct_children(self):
        return list(self._stack)

    @property
    def inputs(self):
        if self._stack and isinstance(self._stack[0], InputLayer):
            return [self._stack[0].output]
        return None

    @property
    def outputs(self):
        return None if self._output_tensor is None else [self._output_tensor]

    @property
    def input_shape(self):
        if self._stack and isinstance(self._stack[0], InputLayer):
            return self._stack[0].batch_shape
        raise AttributeError(
            f"Sequential model {self.name!r} has no input shape yet: it is known once "
            "the model is built."
        )

    @property
    def output_shape(self):
        if self._output_tensor is None:
            raise AttributeError(
                f"Sequential model {self.name!r} has no output shape yet: it is known "
                "once the model is built."
            )
        return self._output_tensor.shape

    @property
    def input_names(self):
        return [self._stack[0].name] if self.inputs else []

    @property
    def output_names(self):
        return [self.layers[-1].name] if self.layers else []

    # -- running -----------------------------------------------------------------------

    # Masks travel between the layers here (see ``engine/masking.py``).
    _propagates_masks = True

    def call(self, inputs, training=None, mask=None):
        x = inputs
        for layer in self.layers:
            x, mask = masking.call_with_mask(layer, x, mask, training=training)
        masking.report_output_mask(self, mask)
        return x

    def compute_mask(self, inputs, mask=None):
        return masking.call_with_mask(self, inputs, mask)[1]

    def compute_output_spec(self, *args, **kwargs):
        x = args[0]
        for layer in self.layers:
            x = layer.compute_output_spec(x)
        return x

    def _convert_inputs(self, inputs):
        # The first layer casts for itself (an Embedding takes integers).
        from lamella.engine.layer import _is_text
        from lamella.ops.core import convert_to_tensor

        if _is_text(inputs):
            return inputs  # for a host-side first layer (TextVectorization, ...)
        return convert_to_tensor(inputs) if hasattr(inputs, "__array__") else inputs

    def _maybe_build(self, inputs):
        if not self._stack or not isinstance(self._stack[0], InputLayer):
            self.build(tuple(inputs.shape))
        elif self._output_tensor is None:
            self._rebuild()
        self.built = True

    # -- serialization -----------------------------------------------------------------

    def get_config(self):
        from lamella.saving import serialization

        return {
            "name": self.name,
            "trainable": self.trainable,
            "layers": [serialization.serialize_object(l, kind="layers") for l in self._stack],
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamella.saving import serialization

        config = dict(config)
        layer_configs = config.pop("layers")
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in layer_configs:
            layer = serialization.deserialize_object(
                layer_config, kind="layers", custom_objects=custom_objects
            )
            model.add(layer, rebuild=False)
        model._rebuild()
        return model
