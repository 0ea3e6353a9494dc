"""Confusion counts at decision thresholds, accumulated inside the compiled step.

Shared by the thresholded metrics (``TruePositives`` ... ``AUC``). A prediction is
positive at threshold ``t`` when it is greater than ``t``. Two computations give
the same counts:

- for evenly spaced thresholds in ``[0, 1]`` (AUC's default) each prediction falls
  into one of a fixed number of buckets (a ``segment_sum``), and a reversed
  cumulative sum turns bucket counts into counts above each threshold: memory
  linear in the batch, whatever the number of thresholds;
- otherwise every prediction is compared with every threshold.

Both are fixed-shape array programs: no data-dependent shapes, no host work.
"""

import jax
import jax.numpy as jnp
import numpy as np

from lamella.backend import config
from lamella.training.loss import squeeze_or_expand_to_same_rank

# The score given to predictions outside the top k (below every threshold).
NEG_INF = -1e10


def parse_thresholds(owner, thresholds, default):
    """A list of thresholds in ``[0, 1]`` (``None``: ``[default]``)."""
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, list | tuple | np.ndarray) else [thresholds]
    invalid = [t for t in values if not isinstance(t, int | float | np.floating) or isinstance(t, bool) or not 0 <= t <= 1]
    if invalid or not values:
        raise ValueError(f"{owner} expected thresholds in [0, 1]. Received: thresholds={thresholds!r}")
    return [float(t) for t in values]


def evenly_spaced(thresholds):
    """Whether ``thresholds`` are ``0, 1/(n-1), ..., 1`` (n >= 3)."""
    n = len(thresholds)
    if n < 3:
        return False
    return bool(np.allclose(thresholds, np.arange(n, dtype=np.float32) / (n - 1), atol=config.epsilon()))


def keep_top_k(y_pred, k):
    """``y_pred`` with every value outside the ``k`` largest of its row at NEG_INF."""
    _, indices = jax.lax.top_k(y_pred, k)
    mask = jnp.sum(jax.nn.one_hot(indices, y_pred.shape[-1], dtype=y_pred.dtype), axis=-2)
    return y_pred * mask + NEG_INF * (1 - mask)


def confusion_counts(
    y_true, y_pred, thresholds, sample_weight=None, top_k=None, class_id=None,
    multi_label=False, label_weights=None, buckets=False, dtype="float32",
):
    """``(tp, fp, tn, fn)`` of one batch at each threshold.

    Args:
        y_true: targets (non-zero is positive).
        y_pred: scores (compared with the thresholds).
        thresholds: a list of floats.
        sample_weight: per-sample (or per-value) weights.
        top_k: count only the ``k`` best scores of each row as candidates.
        class_id: count only this column of the last axis.
        multi_label: keep the last axis (labels) apart: counts ``(thresholds,
            labels)`` instead of ``(thresholds,)``.
        label_weights: per-label weights (not with ``multi_label``).
        buckets: use the bucket computation (thresholds evenly spaced, possibly
            widened by epsilon at both ends, as AUC's are).
        dtype: the dtype of the counts.
    """
    y_true = jnp.asarray(y_true).astype(dtype)
    y_pred = jnp.asarray(y_pred).astype(dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    weights = None
    if sample_weight is not None:
        weights = jnp.expand_dims(jnp.asarray(sample_weight).astype(dtype), -1)
        _, weights = squeeze_or_expand_to_same_rank(y_true, weights, expand_rank_1=False)
    if top_k is not None:
        y_pred = keep_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim == 1:
            raise ValueError(
                "class_id needs predictions of shape (batch_size, num_classes). "
                f"Received: y_pred.shape={y_pred.shape}"
            )
        if weights is not None and weights.ndim == y_pred.ndim and weights.shape[-1] == y_pred.shape[-1] > 1:
            weights = weights[..., class_id, None]  # per-class weights: this class's
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
    weights = jnp.ones_like(y_pred) if weights is None else jnp.broadcast_to(weights, y_pred.shape)
    if label_weights is not None:
        weights = weights * jnp.broadcast_to(jnp.asarray(label_weights, dtype), y_pred.shape)
    positive = (y_true != 0).astype(dtype)
    if multi_label:
        # (samples, labels): the labels are the last axis, samples the rest.
        positive = positive.reshape(-1, y_pred.shape[-1])
        weights = weights.reshape(-1, y_pred.shape[-1])
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    else:
        positive, weights, y_pred = positive.reshape(-1), weights.reshape(-1), y_pred.reshape(-1)
    true_weights = positive * weights
    false_weights = (1.0 - positive) * weights
    thresholds = np.asarray(thresholds, np.float32)
    if buckets:
        tp, fp = _bucket_counts(y_pred, true_weights, false_weights, thresholds, multi_label)
    else:
        above = y_pred[None] > jnp.asarray(thresholds, dtype).reshape((-1,) + (1,) * y_pred.ndim)
        tp = jnp.sum(jnp.where(above, true_weights[None], 0), axis=1)
        fp = jnp.sum(jnp.where(above, false_weights[None], 0), axis=1)
    tn = jnp.sum(false_weights, axis=0) - fp
    fn = jnp.sum(true_weights, axis=0) - tp
    return tp, fp, tn, fn


def _bucket_counts(y_pred, true_weights, false_weights, thresholds, multi_label):
    count = len(thresholds)
    widened = thresholds[0] < 0.0 or thresholds[-1] > 1.0
    # Bucket i holds the predictions in (t_i, t_{i+1}]: above thresholds 0..i.
    index = jnp.ceil(jnp.clip(y_pred, 0.0, 1.0) * (count - 1)) - 1
    if widened:
        index = jnp.maximum(index, 0)  # 0 itself is above the threshold -epsilon
    # A prediction of exactly 0 is above no threshold: an extra bucket, dropped.
    index = jnp.where(index < 0, count, index).astype(jnp.int32)

    def above_each(weights, bucket):
        per_bucket = jax.ops.segment_sum(weights, bucket, num_segments=count + 1)[:count]
        return jnp.flip(jnp.cumsum(jnp.flip(per_bucket)))

    if multi_label:
        return (
            jax.vmap(above_each, in_axes=(1, 1), out_axes=1)(true_weights, index),
            jax.vmap(above_each, in_axes=(1, 1), out_axes=1)(false_weights, index),
        )
    return above_each(true_weights, index), above_each(false_weights, index)


def divide_no_nan(x, y):
    safe = jnp.where(y == 0, 1, y)
    return jnp.where(y == 0, jnp.zeros_like(x * y), x / safe)
