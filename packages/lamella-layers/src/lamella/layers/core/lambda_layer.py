"""``Lambda``: wraps a function of tensors as a layer."""

import inspect

from lamella.engine import layer_config
from lamella.engine.layer import Layer
from lamella.saving import object_registration


def _function_name(fn):
    """``{"class_name": "function", "config": name}``: ``fn`` by its registered name,
    else its ``__name__`` (which loading resolves through ``custom_objects``)."""
    name = object_registration.get_registered_name(fn)
    if name is None:
        raise ValueError(
            f"Lambda can only serialize functions, by name. Received: {fn!r}"
        )
    return {"class_name": "function", "config": name}


def _resolve_function(layer_name, role, name):
    """The function a config names: from custom objects, else the activations."""
    if isinstance(name, dict) and name.get("class_name") == "function":
        name = name.get("config")
    if not isinstance(name, str):
        raise ValueError(
            f"Lambda layer '{layer_name}': its config holds its {role} as {name!r}, not "
            "as a name. lamella never loads Python code from a config: pass the "
            f"function when loading (custom_objects={{{layer_name!r}: fn}})."
        )
    found = object_registration.get_registered_object(name)
    if found is None:
        # Keras names anonymous functions '<lambda>': the layer's name identifies it.
        found = object_registration.get_registered_object(layer_name)
    if found is None:
        from lamella.plugins import get_registry

        entry = get_registry("activations").lookup(name)
        found = None if entry is None else entry.obj
    if found is None:
        raise ValueError(
            f"Lambda layer '{layer_name}': its config names the {role} {name!r}, which "
            "is not a registered object. lamella never loads Python code from a config: "
            f"pass the function when loading (custom_objects={{{name!r}: fn}}) or "
            "register it with lamella.utils.register_serializable()."
        )
    return found


def _accepts(fn, name):
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())


class Lambda(Layer):
    """Applies ``function(inputs, **arguments)`` as a layer.

    For quick, weightless transformations inside a model (``Lambda(lambda x: x **
    2)``); a layer with weights should be a ``Layer`` subclass. ``function``
    receives ``mask=`` and ``training=`` too when its signature names them.

    A config refers to ``function`` (and to callable ``output_shape`` and ``mask``)
    by name, never by code: a model with a Lambda loads when the function is
    registered (``lamella.utils.register_serializable``) or passed in ``custom_objects``.

    Args:
        function: the function to apply; its first argument is the layer's input
            (a tensor, or a list of tensors).
        output_shape: the output shape without the batch axis (a tuple, or a
            structure of tuples for several outputs), or a function of the input
            shape (batch included) returning the full output shape. ``None``
            (default) infers it by tracing ``function`` without computing.
        mask: ``None`` (the output has no mask), a function ``mask(inputs,
            previous_mask)`` giving the output mask, or a fixed mask tensor.
        arguments: a dict of extra keyword arguments passed to ``function``.
        **kwargs: base layer arguments.

    Input shape:
        Whatever ``function`` takes.

    Output shape:
        ``output_shape``, or what ``function`` returns.

    Example:

    >>> Lambda(lambda x, scale: x * scale, arguments={"scale": 3.0})(np.ones((1, 2))).tolist()
    [[3.0, 3.0]]
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise ValueError(f"Lambda expected a callable function. Received: function={function!r}")
        if arguments is not None and not isinstance(arguments, dict):
            raise ValueError(
                f"Lambda expected arguments to be a dict or None. Received: arguments={arguments!r}"
            )
        if output_shape is not None and not callable(output_shape):
            output_shape = _normalize_shape(output_shape)
        self.function = function
        self.arguments = dict(arguments or {})
        self._output_shape = output_shape
        self.mask = mask
        self.supports_masking = mask is not None
        self._fn_takes_mask = _accepts(function, "mask")
        self._fn_takes_training = _accepts(function, "training")
        self.built = True

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_takes_mask:
            kwargs["mask"] = mask
        if self._fn_takes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch = _first_dimension(input_shape)
        return _with_batch(self._output_shape, batch)

    def compute_mask(self, inputs, previous_mask=None):
        if callable(self.mask):
            return self.mask(inputs, previous_mask)
        return self.mask

    def get_config(self):
        config = super().get_config()
        not_plain = sorted(k for k, v in self.arguments.items() if not layer_config.is_plain(v))
        if not_plain:
            raise ValueError(
                f"Lambda layer '{self.name}' cannot be serialized: its arguments "
                f"{not_plain} are not plain values (numbers, strings, lists, dicts)."
            )
        if self.mask is not None and not callable(self.mask):
            raise ValueError(
                f"Lambda layer '{self.name}' cannot be serialized with a mask tensor; "
                "give mask as a registered function instead."
            )
        output_shape = self._output_shape
        config.update(
            {
                "function": _function_name(self.function),
                "output_shape": _function_name(output_shape) if callable(output_shape) else output_shape,
                "output_shape_type": "function" if callable(output_shape) else "raw",
                "mask": None if self.mask is None else _function_name(self.mask),
                "arguments": self.arguments,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        name = config.get("name", "lambda")
        config["function"] = _resolve_function(name, "function", config["function"])
        if config.pop("output_shape_type", "raw") == "function":
            config["output_shape"] = _resolve_function(name, "output_shape function", config["output_shape"])
        if isinstance(config.get("mask"), str | dict):
            config["mask"] = _resolve_function(name, "mask function", config["mask"])
        return cls(**config)


def _is_shape(value):
    return isinstance(value, list | tuple) and all(d is None or isinstance(d, int) for d in value)


def _normalize_shape(shape):
    """A shape (or a structure of shapes) with tuples, lists turned into tuples."""
    if _is_shape(shape):
        return tuple(shape)
    if isinstance(shape, list | tuple):
        return type(shape)(_normalize_shape(s) for s in shape)
    if isinstance(shape, dict):
        return {k: _normalize_shape(v) for k, v in shape.items()}
    raise ValueError(
        "Lambda expected output_shape to be a tuple, a structure of tuples, a function "
        f"or None. Received: output_shape={shape!r}"
    )


def _first_dimension(input_shape):
    while isinstance(input_shape, list | tuple | dict) and not _is_shape(input_shape):
        input_shape = next(iter(input_shape.values() if isinstance(input_shape, dict) else input_shape))
    return input_shape[0] if input_shape else None


def _with_batch(shape, batch):
    if _is_shape(shape):
        return (batch, *shape)
    if isinstance(shape, dict):
        return {k: _with_batch(v, batch) for k, v in shape.items()}
    return type(shape)(_with_batch(s, batch) for s in shape)
