"""The maximum over overlapping (or padded) windows, one spatial axis at a time.

``MaxPooling*`` whose windows overlap (ResNet's 3x3 stride-2 stem pool), or that
pad, cannot use ``tile_max``'s reshape. ``reduce_window`` computes them, but
XLA:CPU runs its gradient (select-and-scatter) slowly: measured on a 2-vCPU Xeon
(jax 0.10), the stem pool of ResNet50 at batch 32 took 19 ms forward and 219 ms
backward with ``reduce_window``, and 5.3 and 45 ms as the maxima of strided slices
below. A maximum over a box is the maximum over each of its axes in turn, so a
``k``-wide window along an axis is the elementwise maximum of ``k`` strided slices,
which XLA fuses into one pass per axis.

The derivative follows ``reduce_window``'s (and so Keras's): the first maximum of
each window takes the whole gradient. Within one axis the first of the ``k``
slices equal to the maximum wins; reducing the last spatial axis first and the
first one last makes the winner the first maximum in row-major window order.
(Differentiating ``jnp.maximum`` would split ties evenly.) It is a ``custom_jvp``
rule, as in ``tile_max``, so forward-mode and higher-order derivatives work.
"""

import functools

import jax
import jax.numpy as jnp
import numpy as np


def sliding_max(inputs, pool_size, strides, padding, spatial_axes):
    """Max pooling of ``inputs`` over ``spatial_axes``.

    Args:
        inputs: a floating-point array.
        pool_size: the window size along each of ``spatial_axes``.
        strides: the step between windows along each of ``spatial_axes``.
        padding: ``'valid'`` or ``'same'`` (pads with ``-inf`` so that an axis of
            length ``n`` gives ``ceil(n / stride)`` windows, as ``reduce_window``'s
            ``'SAME'`` does: the smaller half of the padding in front).
        spatial_axes: the axes to pool, increasing.

    Returns:
        The pooled array.
    """
    if padding == "same":
        widths = [(0, 0)] * inputs.ndim
        for axis, k, s in zip(spatial_axes, pool_size, strides):
            length = inputs.shape[axis]
            total = max((-(-length // s) - 1) * s + k - length, 0)
            widths[axis] = (total // 2, total - total // 2)
        inputs = jnp.pad(inputs, widths, constant_values=np.array(-np.inf, inputs.dtype))
    for axis, k, s in reversed(list(zip(spatial_axes, pool_size, strides))):
        inputs = axis_max(inputs, axis, k, s)
    return inputs


@functools.partial(jax.custom_jvp, nondiff_argnums=(1, 2, 3))
def axis_max(inputs, axis, size, stride):
    """The maximum over windows of ``size`` positions, ``stride`` apart, along
    ``axis`` (no padding): the first window maximum takes the derivative."""
    return functools.reduce(jnp.maximum, _window_slices(inputs, axis, size, stride))


@axis_max.defjvp
def _axis_max_jvp(axis, size, stride, primals, tangents):
    (inputs,), (inputs_dot,) = primals, tangents
    # The rule's own primal goes through axis_max so that higher derivatives keep it.
    peak = axis_max(inputs, axis, size, stride)
    values = _window_slices(inputs, axis, size, stride)
    slopes = _window_slices(inputs_dot, axis, size, stride)
    # Built from the last offset back, so the first offset equal to the peak wins.
    tangent = slopes[-1]
    for value, slope in zip(values[-2::-1], slopes[-2::-1]):
        tangent = jnp.where(value == peak, slope, tangent)
    return peak, tangent


def _window_slices(array, axis, size, stride):
    """The ``size`` strided slices of ``array`` along ``axis``: slice ``i`` holds the
    ``i``-th position of every window."""
    count = (array.shape[axis] - size) // stride + 1
    return [
        jax.lax.slice_in_dim(array, offset, offset + (count - 1) * stride + 1, stride, axis)
        for offset in range(size)
    ]
