"""``Loss``: the base of every loss, with sample weighting and reduction.

A loss's ``call(y_true, y_pred)`` returns one value per sample (or per element);
``__call__`` weights them by ``sample_weight`` and reduces them:

- ``"sum_over_batch_size"`` (default): the weighted sum divided by the number of
  values (so a sample weight of 0 still counts in the denominator, as in Keras);
- ``"sum"``: the weighted sum;
- ``"mean"``: the weighted sum divided by the number of values;
- ``"mean_with_sample_weight"``: the weighted sum divided by the sum of weights;
- ``"none"`` or ``None``: the weighted values, unreduced.

The concrete losses live in lamella-losses; this base lives in core because the
training engine needs it to wrap plain loss functions.
"""

import jax.numpy as jnp

from lamella.backend import config
from lamella.engine import naming

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def standardize_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid reduction. Expected one of {REDUCTIONS}. "
            f"Received: reduction={reduction!r}"
        )
    return reduction


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Aligns two ranks that differ by one when the longer array ends in an axis of 1.

    Keras's rule: a rank-1 partner gains that trailing axis (so ``(batch,)`` against
    ``(batch, 1)`` still gives one value per sample), otherwise the axis of 1 is
    dropped. Other rank differences are left alone.
    """
    if x1.ndim == x2.ndim + 1 and x1.shape[-1] == 1:
        if x2.ndim == 1 and expand_rank_1:
            x2 = jnp.expand_dims(x2, -1)
        else:
            x1 = jnp.squeeze(x1, -1)
    elif x2.ndim == x1.ndim + 1 and x2.shape[-1] == 1:
        if x1.ndim == 1 and expand_rank_1:
            x1 = jnp.expand_dims(x1, -1)
        else:
            x2 = jnp.squeeze(x2, -1)
    return x1, x2


def _align_weights(values, sample_weight):
    """Broadcasts per-sample weights over the trailing axes of ``values``.

    Weights align with the leading (batch) axes, as documented for Keras's
    ``sample_weight``: a ``(batch,)`` weight scales every value of its sample, for
    any rank of ``values`` (Keras 3 on jax refuses ``(batch,)`` weights against
    ``(batch, steps)`` losses; Keras 2 accepted them, and so does lamella).
    """
    sample_weight = jnp.asarray(sample_weight, dtype=values.dtype)
    while sample_weight.ndim > values.ndim and sample_weight.shape[-1] == 1:
        sample_weight = jnp.squeeze(sample_weight, -1)
    while sample_weight.ndim < values.ndim:
        sample_weight = sample_weight[..., None]
    return sample_weight


def _divide_no_nan(x, y):
    safe = jnp.where(y == 0, 1, y)
    return jnp.where(y == 0, jnp.zeros_like(x), x / safe)


def reduce_weighted_values(
    values, sample_weight=None, mask=None, reduction="sum_over_batch_size", dtype=None
):
    """Weights ``values`` by ``sample_weight`` (and ``mask``) and reduces them.

    Args:
        values: the unreduced losses.
        sample_weight: per-sample (or per-value) weights, aligned with the leading
            axes of ``values``.
        mask: a boolean array; masked-out values leave the batch (for the mean
            reductions the mean runs over the valid values only).
        reduction: see the module docstring.
        dtype: the dtype of the computation (default: ``values``' float dtype).
    """
    reduction = standardize_reduction(reduction)
    values = jnp.asarray(values, dtype=dtype)
    if not jnp.issubdtype(values.dtype, jnp.floating):
        values = values.astype(config.floatx())
    weight = None
    if sample_weight is not None:
        weight = _align_weights(values, sample_weight)
    if mask is not None:
        mask = _align_weights(values, mask).astype(values.dtype)
        if reduction in ("mean", "sum_over_batch_size"):
            # Masked-out entries leave the batch: scaling the valid ones by
            # total/valid makes the plain mean below a mean over valid entries.
            total = jnp.asarray(mask.size, values.dtype)
            mask = mask * _divide_no_nan(total, jnp.sum(mask))
        weight = mask if weight is None else weight * mask
    if weight is not None:
        values = values * weight
    if reduction in (None, "none") or values.ndim == 0 or values.shape == (0,):
        return values
    total = jnp.sum(values)
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and weight is not None:
        return _divide_no_nan(total, jnp.sum(weight))
    return _divide_no_nan(total, jnp.asarray(values.size, total.dtype))


class Loss:
    """Base class of losses.

    Subclasses implement ``call(y_true, y_pred)`` returning unreduced values.

    Args:
        name: the loss's name in logs.
        reduction: how values are reduced (see the module docstring).
        dtype: the dtype of the computation (default ``floatx()``), or a dtype
            policy, whose compute dtype is used.
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or naming.to_snake_case(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype = dtype

    @property
    def dtype(self):
        if self._dtype is None:
            return config.floatx()
        from lamella import dtype_policies

        return dtype_policies.get(self._dtype).compute_dtype

    def __call__(self, y_true, y_pred, sample_weight=None, mask=None):
        """The reduced loss.

        ``mask`` is the output mask of the model (``(batch, steps)`` for sequence
        outputs), given by the training step: as in Keras 3, masked-out values leave
        the reduction, combined with ``compute_mask``'s.
        """
        dtype = self.dtype
        # Predictions are computed in the loss's dtype whatever they arrive as (ints
        # included, as Keras converts them); integer targets stay exact (class ids).
        y_pred = jnp.asarray(y_pred)
        if y_pred.dtype != dtype:
            y_pred = y_pred.astype(dtype)
        y_true = jnp.asarray(y_true)
        if jnp.issubdtype(y_true.dtype, jnp.floating) and y_true.dtype != y_pred.dtype:
            y_true = y_true.astype(y_pred.dtype)
        values = self.call(y_true, y_pred)
        own = self.compute_mask(y_true, y_pred)
        if mask is None:
            mask = own
        elif own is not None:
            mask = jnp.logical_and(_align_weights(own, mask).astype(bool), own)
        return reduce_weighted_values(
            values, sample_weight, mask=mask, reduction=self.reduction, dtype=dtype
        )

    def call(self, y_true, y_pred):
        raise NotImplementedError(
            f"Loss {type(self).__name__} must implement call(y_true, y_pred)."
        )

    def compute_mask(self, y_true, y_pred):
        """A boolean array shaped like ``call``'s values marking those that count, or
        ``None`` (every value counts). Masked-out values leave the reduction."""
        return None

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class LossFunctionWrapper(Loss):
    """A ``Loss`` around a function ``fn(y_true, y_pred, **kwargs)``.

    Args:
        fn: the function, returning one value per sample.
        reduction: see ``Loss``.
        name: default the function's name.
        **kwargs: passed to ``fn`` on every call (``from_logits``, ...).
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        # As in Keras, a (batch,) target meets a (batch, 1) prediction as (batch, 1),
        # so a plain function such as ``lambda t, p: (t - p) ** 2`` never broadcasts
        # to (batch, batch).
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        raise TypeError(
            "A LossFunctionWrapper is rebuilt by the loss class that subclasses it; "
            "register the function or the class to deserialize it."
        )
