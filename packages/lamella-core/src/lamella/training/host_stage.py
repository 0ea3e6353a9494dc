"""The host stage: layers that work on strings run in the input pipeline.

XLA has no string type, so a layer such as ``TextVectorization`` or ``StringLookup``
cannot run inside a compiled step. Such layers declare ``runs_on_host = True`` and
a ``host_apply(array) -> numpy array`` method. When a model starts with them, the
engine applies them to the data on the host, before the data goes to the device:
once for in-memory arrays, batch by batch (in the prefetching thread) for
generators and datasets. Inside the compiled steps they pass their already
preprocessed inputs through (``call_context.host_stage_done``).

Where host-side layers may sit:

- ``Sequential``: the first layers of the stack;
- functional models: in a chain that starts at a model input, each link being the
  only consumer of the previous one's output;
- subclassed models: nowhere (their call is opaque): apply the layers to the
  data first (``dataset.map``-style, or ``layer(x)`` on the arrays).
"""

import numpy as np

from lamella.backend.dtypes import is_string_dtype


def runs_on_host(layer):
    return bool(getattr(layer, "runs_on_host", False))


def is_text_array(array):
    return isinstance(array, np.ndarray) and (
        array.dtype.kind in "US" or (array.dtype == object and _holds_text(array))
    )


def _holds_text(array):
    flat = array.reshape(-1)
    return flat.size > 0 and isinstance(flat[0], str | bytes)


class HostStage:
    """For each model input (in the model's input order), the host layers applied
    to it, first to last (an empty list for inputs that go straight to the device).

    Args:
        routes: one list of layers per model input.
        input_names: the model's input names (to match dict data), or ``None``.
    """

    def __init__(self, routes, input_names=None):
        self.routes = [list(r) for r in routes]
        self.input_names = list(input_names or [])

    @property
    def active(self):
        return any(self.routes)

    @classmethod
    def of(cls, model):
        """The host stage of ``model``; raises ``ValueError`` naming a host-side
        layer that sits where the pipeline cannot run it."""
        hosts = [l for l in model._flatten_layers(include_self=False) if runs_on_host(l)]
        # A host layer's own host sublayers (TextVectorization's lookup) run with it.
        nested = {id(sub) for h in hosts for sub in h._flatten_layers(include_self=False)}
        layers = [l for l in hosts if id(l) not in nested]
        if not layers:
            return cls([])
        if hasattr(model, "_stack"):
            routes = cls._sequential_routes(model)
        elif hasattr(model, "_input_tensors"):
            routes = cls._functional_routes(model)
        else:
            raise ValueError(
                f"Model {model.name!r} is subclassed and uses layer "
                f"{layers[0].name!r} ({type(layers[0]).__name__}), which works on "
                "strings on the host: XLA has no strings, so it cannot run inside "
                "the compiled step. Apply the layer to the data before fit "
                "(e.g. x = layer(x)), or use a Sequential or functional model that "
                "starts with it."
            )
        placed = {id(l) for route in routes for l in route}
        for layer in layers:
            if id(layer) not in placed:
                raise ValueError(
                    f"Layer {layer.name!r} ({type(layer).__name__}) of model "
                    f"{model.name!r} works on strings on the host, so it must come "
                    "first: directly on a model input (or after other such "
                    "layers). XLA has no strings, so it cannot run between "
                    "layers of the compiled step."
                )
        return cls(routes, getattr(model, "input_names", None))

    @staticmethod
    def _sequential_routes(model):
        route = []
        for layer in model.layers:
            if not runs_on_host(layer):
                break
            route.append(layer)
        return [route]

    @staticmethod
    def _functional_routes(model):
        routes = []
        for tensor in model._input_tensors:
            route = []
            while True:
                consumers = [
                    node for node in model._nodes
                    if any(t is tensor for t in node.input_tensors)
                ]
                if len(consumers) != 1 or not runs_on_host(consumers[0].layer):
                    break
                node = consumers[0]
                if len(node.input_tensors) != 1 or len(node.output_tensors) != 1:
                    break
                route.append(node.layer)
                tensor = node.output_tensors[0]
            routes.append(route)
        return routes

    # -- applying ------------------------------------------------------------------------

    def apply(self, x):
        """``x`` (one array, a list or a dict by input name) with every input run
        through its host layers; raises if text would still reach the device."""
        if isinstance(x, dict):
            names = self.input_names
            out = {}
            for key, value in x.items():
                route = self.routes[names.index(key)] if key in names and self.routes else []
                out[key] = self._run(route, value, f"x[{key!r}]")
            return out
        if isinstance(x, list | tuple):
            routes = self.routes if len(self.routes) == len(x) else [[]] * len(x)
            return type(x)(
                self._run(route, value, f"x[{i}]") for i, (route, value) in enumerate(zip(routes, x))
            )
        return self._run(self.routes[0] if self.routes else [], x, "x")

    @staticmethod
    def _run(route, value, what):
        for layer in route:
            value = np.asarray(layer.host_apply(value))
        if is_text_array(value) or (hasattr(value, "dtype") and is_string_dtype(value.dtype)):
            raise ValueError(
                f"{what} holds strings (dtype {value.dtype}), but the model has no "
                "layer that takes them at that input. XLA computes on numbers only: "
                "put a TextVectorization, StringLookup or Hashing layer first in the "
                "model (it runs on the host, in the input pipeline), or convert the "
                "strings to numbers before fit."
            )
        return value
