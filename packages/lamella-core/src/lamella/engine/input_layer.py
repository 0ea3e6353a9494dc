"""``Input`` and ``InputLayer``: where a functional or sequential model starts."""

from lamella.backend.dtypes import standardize_dtype
from lamella.engine.layer import Layer
from lamella.engine.node import Node
from lamella.engine.symbolic_tensor import SymbolicTensor


class InputLayer(Layer):
    """The entry point of a model: it holds one symbolic input tensor.

    Args:
        shape: the shape of one sample, without the batch axis.
        batch_size: a fixed batch size (stateful recurrent layers need one).
        dtype: the input's dtype (default ``floatx()``).
        batch_shape: the full shape, batch axis included (instead of ``shape``).
        name: the layer's name, also the input's name in dict-fed models.
        input_tensor: an existing symbolic tensor to use as the input.
    """

    def __init__(
        self,
        shape=None,
        batch_size=None,
        dtype=None,
        sparse=None,
        batch_shape=None,
        input_tensor=None,
        name=None,
        **kwargs,
    ):
        # Keras 2 spelled these input_shape / batch_input_shape.
        if shape is None and kwargs.get("input_shape") is not None:
            shape = kwargs.pop("input_shape")
        if batch_shape is None and kwargs.get("batch_input_shape") is not None:
            batch_shape = kwargs.pop("batch_input_shape")
        super().__init__(name=name, dtype=None, **kwargs)
        if sparse:
            raise ValueError(
                f"InputLayer '{self.name}': lamella tensors are dense. "
                f"Received: sparse={sparse!r}"
            )
        if input_tensor is not None:
            if not isinstance(input_tensor, SymbolicTensor):
                raise ValueError(
                    "input_tensor must be a symbolic tensor (from lamella.Input). "
                    f"Received: input_tensor={input_tensor!r}"
                )
            batch_shape = input_tensor.shape
            dtype = input_tensor.dtype
        elif batch_shape is not None:
            batch_shape = tuple(batch_shape)
        elif shape is not None:
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size, *tuple(shape))
        else:
            raise ValueError(
                f"InputLayer '{self.name}' needs a shape: pass shape=(...) (one "
                "sample, no batch axis) or batch_shape=(...)."
            )
        for d in batch_shape:
            if d is not None and (not isinstance(d, int) or d < 0):
                raise ValueError(
                    f"InputLayer '{self.name}': every axis is a non-negative integer "
                    f"or None. Received: batch_shape={batch_shape}"
                )
        self._batch_shape = batch_shape
        self._input_dtype = standardize_dtype(dtype)
        self.built = True
        if input_tensor is None:
            input_tensor = SymbolicTensor(batch_shape, self._input_dtype, name=self.name)
        self._input_tensor = input_tensor
        Node(self, call_args=(), call_kwargs={}, outputs=input_tensor)

    @property
    def batch_shape(self):
        return self._batch_shape

    @property
    def output(self):
        return self._input_tensor

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return self._batch_shape

    def get_config(self):
        return {
            "batch_shape": list(self._batch_shape),
            "dtype": self._input_dtype,
            "name": self.name,
        }


def Input(  # noqa: N802 - a function named like the class it wraps, as in Keras
    shape=None,
    batch_size=None,
    dtype=None,
    sparse=None,
    batch_shape=None,
    name=None,
    tensor=None,
):
    """A symbolic input tensor: the start of a functional model.

    Args:
        shape: the shape of one sample, without the batch axis, e.g. ``(784,)``;
            ``None`` entries are unknown sizes.
        batch_size: a fixed batch size.
        dtype: the dtype expected (default ``floatx()``).
        batch_shape: the full shape with the batch axis, instead of ``shape``.
        name: a name, unique in the model; dict inputs to ``fit`` use it.
        tensor: an existing symbolic tensor to wrap.

    Example:

    >>> x = Input(shape=(784,))
    >>> x.shape
    (None, 784)
    """
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        batch_shape=batch_shape,
        name=name,
        input_tensor=tensor,
    )
    return layer.output
