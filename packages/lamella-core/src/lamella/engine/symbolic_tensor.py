"""Symbolic tensors: the placeholders that functional models are built from.

A symbolic tensor has a shape (``None`` for unknown axes, usually the batch), a dtype
and the place it came from: the layer, the node (which call of that layer) and the
index among that call's outputs. Keras calls it ``KerasTensor``; both names work.
"""

from lamella.backend.dtypes import standardize_dtype


class SymbolicTensor:
    """A shape, a dtype and a history; no data.

    Args:
        shape: a tuple of ints or ``None``.
        dtype: the dtype name (default ``floatx()``).
        name: an optional name (inputs are named after their ``Input``).
    """

    def __init__(self, shape, dtype=None, name=None, sparse=False):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = standardize_dtype(dtype)
        self.name = name
        self.sparse = sparse
        # (layer, node_index, tensor_index), set by the node that produced it.
        self._history = None

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        name = f", name={self.name}" if self.name else ""
        return f"<SymbolicTensor shape={self.shape}, dtype={self.dtype}{name}>"

    def __len__(self):
        raise TypeError(
            "A symbolic tensor has no length: its batch axis is unknown until the "
            "model is called on data."
        )

    def __bool__(self):
        raise TypeError(
            "A symbolic tensor has no truth value: it holds no data. Use layers, or "
            "lamella.ops inside a layer's call, to compute with it."
        )

    def __iter__(self):
        raise TypeError("A symbolic tensor cannot be iterated over.")


KerasTensor = SymbolicTensor
