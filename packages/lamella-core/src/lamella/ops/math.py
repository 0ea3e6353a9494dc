"""Math operations named as in ``keras.ops`` (``logsumexp``, ``top_k``, ``erf``, ...)."""

import jax
import jax.numpy as jnp

from lamella.ops.core import convert_to_tensor

__all__ = ["erf", "erfinv", "in_top_k", "logsumexp", "rsqrt", "segment_max", "segment_sum", "top_k"]


def logsumexp(x, axis=None, keepdims=False):
    return jax.nn.logsumexp(convert_to_tensor(x), axis=axis, keepdims=keepdims)


def top_k(x, k, sorted=True):  # noqa: A002 - Keras's argument name
    """The ``k`` largest values along the last axis and their indices."""
    return jax.lax.top_k(convert_to_tensor(x), k)


def in_top_k(targets, predictions, k):
    """Whether each target's prediction is among the ``k`` largest of its row."""
    targets = convert_to_tensor(targets)
    predictions = convert_to_tensor(predictions)
    target_values = jnp.take_along_axis(predictions, targets[:, None].astype(jnp.int32), axis=-1)
    return jnp.sum(predictions > target_values, axis=-1) < k


def erf(x):
    return jax.scipy.special.erf(convert_to_tensor(x))


def erfinv(x):
    return jax.scipy.special.erfinv(convert_to_tensor(x))


def rsqrt(x):
    return jax.lax.rsqrt(convert_to_tensor(x))


def segment_sum(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return jax.ops.segment_sum(
        convert_to_tensor(data), convert_to_tensor(segment_ids), num_segments,
        indices_are_sorted=sorted,
    )


def segment_max(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return jax.ops.segment_max(
        convert_to_tensor(data), convert_to_tensor(segment_ids), num_segments,
        indices_are_sorted=sorted,
    )
