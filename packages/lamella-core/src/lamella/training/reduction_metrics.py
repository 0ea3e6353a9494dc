"""The reductions the engine needs: ``Sum``, ``Mean`` and ``MeanMetricWrapper``."""

import jax.numpy as jnp

from lamella.training.loss import squeeze_or_expand_to_same_rank
from lamella.training.metric import Metric


def _samplewise(values, sample_weight, reduce_fn, dtype):
    """Per-sample values (and weights) from a batch, as Keras reduces them.

    Each sample counts once: values are reduced (``reduce_fn``, a mean for ``Mean``)
    over the axes the weights do not have, weights over their non-batch axes, and
    what is left over the non-batch axes. So a metric over batches whose samples
    have different numbers of values weighs samples, not values, alike.
    """
    values = jnp.asarray(values).astype(dtype)
    if sample_weight is not None:
        sample_weight = jnp.asarray(sample_weight).astype(dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim = sample_weight.ndim
        if values.ndim > weight_ndim:
            values = reduce_fn(values, axis=tuple(range(weight_ndim, values.ndim)))
        sample_weight = jnp.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of every value seen."""

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = _samplewise(values, sample_weight, jnp.sum, self.dtype)
        self.total.assign_add(jnp.sum(values))

    def result(self):
        return self.total.value


class Mean(Metric):
    """The (weighted) mean of every sample seen: ``sum(w * x) / sum(w)``.

    A sample with several values (a row of a matrix) contributes their mean, with
    its weight; without weights every sample weighs 1.
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(name="total")
        self.count = self.add_variable(name="count")

    def update_state(self, values, sample_weight=None):
        values, sample_weight = _samplewise(values, sample_weight, jnp.mean, self.dtype)
        self.total.assign_add(jnp.sum(values))
        if sample_weight is not None:
            count = jnp.sum(sample_weight)
        else:
            count = values.shape[0] if values.ndim else 1
        self.count.assign_add(jnp.asarray(count, self.dtype))

    def result(self):
        count = self.count.value
        safe = jnp.where(count == 0, jnp.ones_like(count), count)
        return jnp.where(count == 0, jnp.zeros_like(count), self.total.value / safe)


class MeanMetricWrapper(Mean):
    """The mean over samples of ``fn(y_true, y_pred, **kwargs)``.

    Args:
        fn: a function returning one value per sample.
        name: default the function's name.
        **kwargs: passed to ``fn`` on every call.
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", "mean"), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = super().get_config()
        if type(self) is MeanMetricWrapper:
            # Subclasses fix their function; a bare wrapper records it by its
            # registered name, as Keras does, so that from_config can rebuild it.
            from lamella.saving import serialization

            config["fn"] = serialization.serialize_object(self._fn, kind="metrics")
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config:
            from lamella.saving import serialization

            config["fn"] = serialization.deserialize_object(config["fn"], kind="metrics")
        return cls(**config)
