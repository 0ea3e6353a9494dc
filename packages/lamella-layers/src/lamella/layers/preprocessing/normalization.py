"""``Normalization``: feature-wise standardization with adapted (or given) statistics."""

import jax.numpy as jnp
import numpy as np

from lamella.backend import config
from lamella.engine.layer import Layer


class Normalization(Layer):
    """``(x - mean) / max(sqrt(variance), epsilon)``, per feature of ``axis``.

    ``adapt(data)`` computes the mean and variance over every axis but ``axis``
    (they are the layer's non-trainable weights ``mean`` and ``variance``); or give
    them as ``mean``/``variance`` (broadcast to the kept axes). ``invert=True``
    maps standardized values back: ``mean + x * max(sqrt(variance), epsilon)``.

    Args:
        axis: the axis (or axes) with their own statistics; ``None``: one mean
            and variance for everything.
        mean, variance: the statistics, instead of ``adapt``.
        invert: apply the inverse transformation.

    Input shape:
        Any, with the kept axes' sizes known.

    Output shape:
        The input's.

    Example:

    >>> layer = Normalization()
    >>> layer.adapt(np.array([[1.0], [2.0], [3.0]]))
    >>> np.round(np.asarray(layer(np.array([[1.0], [3.0]])), "float64"), 4).tolist()
    [[-1.2247], [1.2247]]
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        if (mean is None) != (variance is None):
            raise ValueError(
                "Normalization takes both mean and variance, or neither (to adapt them). "
                f"Received: mean={mean!r}, variance={variance!r}"
            )
        self.axis = axis
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        self.adapt_mean = self.adapt_variance = None

    def _keep_axes(self, rank):
        axes = sorted(a if a >= 0 else a + rank for a in self.axis)
        for original, a in zip(self.axis, axes):
            if not 0 <= a < rank:
                raise ValueError(
                    f"Normalization '{self.name}': axis {original} is out of range for inputs of rank {rank}."
                )
        return axes

    def build(self, input_shape):
        rank = len(input_shape)
        keep = self._keep_axes(rank)
        for a in keep:
            if input_shape[a] is None:
                raise ValueError(
                    f"Normalization '{self.name}' needs a known size on axis {a}. Received: input_shape={input_shape}"
                )
        self._broadcast_shape = tuple(input_shape[a] if a in keep else 1 for a in range(rank))
        shape = tuple(input_shape[a] for a in keep)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=shape, initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(name="variance", shape=shape, initializer="ones", trainable=False)
        else:
            self._fixed = [np.broadcast_to(np.asarray(v, np.float32), shape).astype(np.float32)
                           for v in (self.input_mean, self.input_variance)]
        self.built = True

    def adapt(self, data, batch_size=None, steps=None):
        """Computes the mean and variance of ``data`` (an array or batches of it)."""
        from lamella.layers.preprocessing.index_lookup import _batches

        count, mean, m2 = 0, None, None
        for batch in _batches(data, steps):
            batch = np.asarray(batch, np.float64)
            if not self.built:
                self.build((None, *batch.shape[1:]))
            keep = self._keep_axes(batch.ndim)
            reduce = tuple(a for a in range(batch.ndim) if a not in keep)
            n = int(np.prod([batch.shape[a] for a in reduce])) if reduce else 1
            batch_mean = batch.mean(axis=reduce)
            batch_m2 = ((batch - batch.mean(axis=reduce, keepdims=True)) ** 2).sum(axis=reduce)
            if mean is None:
                count, mean, m2 = n, batch_mean, batch_m2
            else:  # Chan et al.'s parallel update of mean and variance
                delta = batch_mean - mean
                total = count + n
                mean = mean + delta * n / total
                m2 = m2 + batch_m2 + delta**2 * count * n / total
                count = total
        if mean is None:
            raise ValueError("Normalization.adapt received no data.")
        if self.adapt_mean is None:
            raise ValueError(f"Normalization '{self.name}' was given mean and variance: there is nothing to adapt.")
        self.adapt_mean.assign(np.asarray(mean, np.float32).reshape(self.adapt_mean.shape))
        self.adapt_variance.assign(np.asarray(m2 / count, np.float32).reshape(self.adapt_variance.shape))

    def call(self, inputs):
        if self.adapt_mean is not None:
            mean, variance = self.adapt_mean.value, self.adapt_variance.value
        else:
            mean, variance = self._fixed
        dtype = self.compute_dtype
        mean = jnp.reshape(jnp.asarray(mean, dtype), self._broadcast_shape)
        scale = jnp.maximum(jnp.sqrt(jnp.reshape(jnp.asarray(variance, dtype), self._broadcast_shape)),
                            jnp.asarray(config.epsilon(), dtype))
        inputs = jnp.asarray(inputs, dtype)
        if self.invert:
            return mean + inputs * scale
        return (inputs - mean) / scale

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        def plain(value):
            return np.asarray(value).tolist() if value is not None and not isinstance(value, float | int) else value

        axis = None if self.axis == () else (self.axis[0] if len(self.axis) == 1 else list(self.axis))
        return {**super().get_config(), "axis": axis, "mean": plain(self.input_mean),
                "variance": plain(self.input_variance), "invert": self.invert}
