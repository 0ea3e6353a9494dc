"""``Permute``: reorders the axes of each sample."""

import numbers

from lamella.engine.input_spec import InputSpec
from lamella.engine.layer import Layer


class Permute(Layer):
    """Permutes the non-batch axes: output axis ``i`` is input axis ``dims[i - 1]``.

    Axes are numbered from 1 (the batch axis 0 stays first), as in Keras:
    ``Permute((2, 1))`` swaps the two axes of ``(batch, steps, features)`` inputs.

    Args:
        dims: a permutation of ``1 .. rank - 1``.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch_size, d_1, ..., d_n)``, ``n = len(dims)``.

    Output shape:
        ``(batch_size, d_dims[0], ..., d_dims[n-1])``.

    Example:

    >>> Permute((2, 1))(np.zeros((5, 10, 64))).shape
    (5, 64, 10)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        try:
            values = tuple(dims)
        except TypeError:
            values = None
        if (
            values is None
            or not all(isinstance(d, numbers.Integral) and not isinstance(d, bool) for d in values)
            or sorted(values) != list(range(1, len(values) + 1))
        ):
            raise ValueError(
                "Permute expected dims to be a permutation of 1..n (axis 0, the batch, "
                f"is not permuted). Received: dims={dims!r}"
            )
        self.dims = tuple(int(d) for d in values)
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)
        self.built = True

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        return (input_shape[0], *(input_shape[d] for d in self.dims))

    def call(self, inputs):
        return inputs.transpose(0, *self.dims)

    def get_config(self):
        config = super().get_config()
        config["dims"] = self.dims
        return config
