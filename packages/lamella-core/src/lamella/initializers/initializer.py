"""``Initializer``: the base of weight initializers, and fan computation."""

import math

import numpy as np

from lamella.backend.dtypes import standardize_dtype
from lamella.backend import host_arrays


def compute_fans(shape, input_axes=None, output_axes=None):
    """``(fan_in, fan_out)`` of a weight of ``shape``.

    A matrix ``(n_in, n_out)`` has fans ``n_in`` and ``n_out``; a convolution kernel
    ``(*spatial, n_in, n_out)`` multiplies both by the receptive field size; a vector
    ``(n,)`` has ``n`` for both; a scalar has 1. Given both ``input_axes`` and
    ``output_axes`` (for einsum-style kernels), the fans are the products of the
    sizes of those axes.
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return (
            math.prod(shape[axis] for axis in input_axes),
            math.prod(shape[axis] for axis in output_axes),
        )
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


def to_dtype(values, dtype):
    """Host values as a new array of ``dtype`` (bfloat16 included) that the variable
    receiving it can use without a copy (``host_arrays``)."""
    return host_arrays.fresh(values, standardize_dtype(dtype))


class Initializer:
    """Base class: ``initializer(shape, dtype)`` returns an array of that shape.

    Values are computed on the host with numpy and moved to the device by the
    variable that receives them.
    """

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(
            f"Initializer {type(self).__name__} must implement __call__(shape, dtype)."
        )

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def clone(self):
        return type(self).from_config(self.get_config())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"
