"""``GlobalAveragePooling1D``: the mean of each channel over the steps."""

import jax.numpy as jnp

from lamella.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Global average pooling: each channel becomes the mean of its values
    over the steps.

    With a ``mask`` (``(batch, steps)``, true for real steps, as an ``Embedding``
    with ``mask_zero`` gives), the mean is over the unmasked steps only.

    Args:
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        keepdims: keep the spatial axes with size 1 (default false).
        **kwargs: base layer arguments.

    Input shape:
        ``(batch, steps, channels)`` or ``(batch, channels, steps)``.

    Output shape:
        ``(batch, channels)``; with ``keepdims``, ``(batch, 1, channels)`` or
        ``(batch, channels, 1)``.

    Example:

    >>> GlobalAveragePooling1D()(np.ones((2, 10, 3))).shape
    (2, 3)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(rank=1, mode="average", data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        # The mean over the unmasked steps only (a fully masked sample gives 0).
        steps = 1 if self.data_format == "channels_last" else 2
        weights = jnp.expand_dims(jnp.asarray(mask, inputs.dtype), 3 - steps)
        total = jnp.sum(inputs * weights, axis=steps, keepdims=self.keepdims)
        count = jnp.sum(weights, axis=steps, keepdims=self.keepdims)
        return total / jnp.maximum(count, jnp.asarray(1, inputs.dtype))

    def compute_mask(self, inputs, previous_mask):
        return None
