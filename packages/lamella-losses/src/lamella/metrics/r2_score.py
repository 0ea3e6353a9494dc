"""``R2Score``: the coefficient of determination."""

import jax.numpy as jnp

from lamella.losses._utils import align_ranks
from lamella.training.metric import Metric

_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """``1 - sum((y - y_pred)**2) / sum((y - mean(y))**2)`` per output column,
    over every sample seen (sample weights weigh both sums).

    The sums accumulate as running totals, so the score of several batches is the
    score of their union. An output whose targets have no variance scores 0.

    Args:
        class_aggregation: how the columns combine: ``"uniform_average"`` (their
            mean), ``"variance_weighted_average"`` (weighted by the targets'
            variance) or ``None`` (one score per column).
        num_regressors: for the adjusted R2, the number of independent variables
            ``p``: ``1 - (1 - R2) * (n - 1) / (n - p - 1)`` with ``n`` the number of
            values seen. While ``n - 1 <= p`` the plain R2 is returned (Keras warns
            there; inside a compiled step nothing can be printed).
        name, dtype: see ``Metric``.

    Input shape:
        ``(batch_size, outputs)`` targets and predictions.

    Example:
        >>> metric = R2Score()
        >>> metric.update_state([[1.0], [2.0], [3.0]], [[1.1], [1.9], [3.2]])
    """

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None):
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError(
                f"R2Score expected class_aggregation in {_AGGREGATIONS}. "
                f"Received: class_aggregation={class_aggregation!r}"
            )
        if not isinstance(num_regressors, int) or isinstance(num_regressors, bool) or num_regressors < 0:
            raise ValueError(
                f"R2Score expected an integer >= 0 for num_regressors. Received: num_regressors={num_regressors!r}"
            )
        super().__init__(name=name, dtype=dtype)
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(name="num_samples")
        self._built = False

    def build_state(self, y_pred_shape):
        if self._built:
            return
        if len(y_pred_shape) != 2 or y_pred_shape[-1] is None:
            raise ValueError(
                "R2Score expects inputs of shape (batch_size, outputs). "
                f"Received: y_pred.shape={tuple(y_pred_shape)}"
            )
        columns = (y_pred_shape[-1],)
        self.squared_sum = self.add_variable(columns, name="squared_sum")
        self.sum = self.add_variable(columns, name="sum")
        self.total_mse = self.add_variable(columns, name="residual")
        self.count = self.add_variable(columns, name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = jnp.asarray(y_true).astype(self.dtype)
        y_pred = jnp.asarray(y_pred).astype(self.dtype)
        y_true, y_pred = align_ranks(y_true, y_pred)
        if y_true.ndim != 2:
            raise ValueError(
                "R2Score expects inputs of shape (batch_size, outputs). "
                f"Received: y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}"
            )
        self.build_state(y_pred.shape)
        weight = jnp.ones((), self.dtype) if sample_weight is None else jnp.asarray(sample_weight).astype(self.dtype)
        if weight.ndim == 1:
            weight = weight[:, None]
        weight = jnp.broadcast_to(weight, y_true.shape)
        weighted = y_true * weight
        self.sum.assign(self.sum.value + jnp.sum(weighted, axis=0))
        self.squared_sum.assign(self.squared_sum.value + jnp.sum(y_true * weighted, axis=0))
        self.total_mse.assign(self.total_mse.value + jnp.sum(jnp.square(y_true - y_pred) * weight, axis=0))
        self.count.assign(self.count.value + jnp.sum(weight, axis=0))
        self.num_samples.assign(self.num_samples.value + y_true.size)

    def result(self):
        if not self._built:
            return jnp.zeros((), self.dtype)
        mean = self.sum.value / self.count.value
        total = self.squared_sum.value - self.sum.value * mean
        raw = 1 - self.total_mse.value / total
        raw = jnp.where(jnp.isinf(raw), 0.0, raw)
        if self.class_aggregation == "uniform_average":
            score = jnp.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = jnp.sum(total * raw) / jnp.sum(total)
        else:
            score = raw
        if self.num_regressors:
            n = self.num_samples.value.astype(jnp.float32)
            p = jnp.float32(self.num_regressors)
            adjusted = 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)
            score = jnp.where(n - 1.0 > p, adjusted, score)
        return score

    def get_config(self):
        return {**super().get_config(), "class_aggregation": self.class_aggregation, "num_regressors": self.num_regressors}
