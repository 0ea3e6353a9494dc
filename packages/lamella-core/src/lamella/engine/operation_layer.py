"""``OperationLayer``: a ``lamella.ops`` function as a node of a functional graph.

Keras 3 records an op applied to symbolic tensors as a node of its own: a model
whose ``Embedding(mask_zero=True)`` feeds an ``LSTM`` holds a ``NotEqual`` node
computing the mask, and ``keras.ops.add(x, 1.0)`` on a ``keras.Input`` an ``Add``
node. Reading such a file, the Keras op becomes this layer, calling the ``lamella.ops``
function of the same name (``keras.ops`` and ``lamella.ops`` share their names and
arguments), with the op's own arguments (``Sum``'s ``axis``) from its config and the
node's arguments (tensors and constants) at each call.

Only public functions of ``lamella.ops`` can be named: a config never reaches any
other code.
"""

from lamella.engine.layer import Layer


def _operation(name):
    from lamella import ops

    public = getattr(ops, "__all__", ())
    function = getattr(ops, name, None) if name in public else None
    if not callable(function):
        raise ValueError(
            f"OperationLayer expected the name of a lamella.ops function for operation. "
            f"Received: operation={name!r}"
        )
    return function


class OperationLayer(Layer):
    """Calls ``lamella.ops.<operation>(*args, **arguments, **kwargs)``.

    Args:
        operation: the name of a ``lamella.ops`` function (``"not_equal"``,
            ``"add"``, ``"cast"``, ``"sum"``, ...).
        arguments: keyword arguments of the function fixed in the graph (``{"axis":
            -1, "keepdims": True}`` for a sum).
        name: the layer's name.

    Input shape:
        What the function takes: tensors and constants, in the function's order.

    Output shape:
        What the function returns.

    Example:

    >>> import lamella
    >>> x = lamella.Input((3,))
    >>> total = OperationLayer("sum", {"axis": -1})(x)
    >>> total.shape
    (None,)
    """

    def __init__(self, operation, arguments=None, **kwargs):
        # Inputs keep their dtypes: a mask of integers compared with 0 must stay
        # integer, a cast decides its own dtype.
        kwargs.setdefault("autocast", False)
        super().__init__(**kwargs)
        self._function = _operation(operation)
        if arguments is not None and not isinstance(arguments, dict):
            raise ValueError(
                f"OperationLayer expected a dict of keyword arguments for arguments. "
                f"Received: arguments={arguments!r}"
            )
        self.operation = operation
        self.arguments = dict(arguments or {})
        self.built = True

    def call(self, *args, **kwargs):
        # The engine's call flags are a layer's, not the function's arguments.
        kwargs.pop("training", None)
        kwargs.pop("mask", None)
        return self._function(*args, **self.arguments, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.update({"operation": self.operation, "arguments": dict(self.arguments)})
        return config
