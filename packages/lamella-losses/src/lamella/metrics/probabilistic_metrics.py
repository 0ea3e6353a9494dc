"""Probabilistic metrics: the means of the crossentropies, the Kullback-Leibler
divergence and the Poisson loss over every sample seen."""

import jax.numpy as jnp

from lamella.losses.probabilistic import (
    _sparse_targets,
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from lamella.losses._utils import check_axis, float_predictions
from lamella.training.reduction_metrics import MeanMetricWrapper


class BinaryCrossentropy(MeanMetricWrapper):
    """The mean binary crossentropy (see ``lamella.losses.binary_crossentropy``).

    Args:
        name, dtype: see ``Metric``.
        from_logits: whether predictions are logits.
        label_smoothing: in ``[0, 1]``.

    Example:
        >>> model.compile(loss="mse", metrics=[BinaryCrossentropy()])
    """

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0):
        super().__init__(binary_crossentropy, name=name, dtype=dtype, from_logits=from_logits, label_smoothing=label_smoothing)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing


class CategoricalCrossentropy(MeanMetricWrapper):
    """The mean categorical crossentropy of one-hot targets.

    Args:
        name, dtype: see ``Metric``.
        from_logits: whether predictions are logits.
        label_smoothing: in ``[0, 1]``.
        axis: the class axis.
    """

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False, label_smoothing=0, axis=-1):
        super().__init__(
            categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
            label_smoothing=label_smoothing, axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The mean categorical crossentropy of integer targets; targets equal to
    ``ignore_class`` leave the mean.

    Args:
        name, dtype: see ``Metric``.
        from_logits: whether predictions are logits.
        ignore_class: a class index that does not count.
        axis: the class axis.
    """

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False, ignore_class=None, axis=-1):
        super().__init__(
            sparse_categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
            ignore_class=ignore_class, axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self.ignore_class is None:
            return super().update_state(y_true, y_pred, sample_weight=sample_weight)
        # Ignored targets weigh 0, so they leave the mean's denominator too.
        scores = float_predictions(y_pred)
        targets = _sparse_targets(y_true, scores, check_axis(self.axis, scores.ndim, self.name))
        valid = (targets != self.ignore_class).astype(self.dtype)
        if sample_weight is not None:
            weight = jnp.asarray(sample_weight).astype(self.dtype)
            while weight.ndim > valid.ndim and weight.shape[-1] == 1:
                weight = jnp.squeeze(weight, -1)
            while weight.ndim < valid.ndim:
                weight = weight[..., None]
            valid = valid * weight
        return super().update_state(y_true, y_pred, sample_weight=valid)


class KLDivergence(MeanMetricWrapper):
    """The mean Kullback-Leibler divergence (see ``lamella.losses.kl_divergence``)."""

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, dtype=dtype)


class Poisson(MeanMetricWrapper):
    """The mean Poisson loss (see ``lamella.losses.poisson``)."""

    def __init__(self, name="poisson", dtype=None):
        super().__init__(poisson, name=name, dtype=dtype)
