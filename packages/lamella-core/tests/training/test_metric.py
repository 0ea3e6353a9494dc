"""The ``Metric`` base (lamella-core): merging the state of shards, state built
from the prediction shape, and its use by compile."""

import jax.numpy as jnp
import numpy as np
import pytest

import lamella
from lamella.training.metric import Metric
from lamella.training.reduction_metrics import Mean, Sum


class ColumnTotals(Metric):
    """A per-column sum, whose state is shaped by the predictions."""

    def __init__(self, name="column_totals", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.totals = None

    def build_state(self, y_pred_shape):
        if self.totals is None:
            self.totals = self.add_variable((y_pred_shape[-1],), name="totals")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.build_state(np.shape(y_pred))
        self.totals.assign(self.totals.value + jnp.sum(jnp.asarray(y_pred), axis=0))

    def result(self):
        return self.totals.value.sum()


def test_merge_state_adds_the_states_of_shards():
    whole, first, second = Mean(), Mean(), Mean()
    values = np.arange(10, dtype=np.float32)
    whole.update_state(values)
    first.update_state(values[:3])
    second.update_state(values[3:], sample_weight=np.ones(7))
    first.merge_state([second])
    np.testing.assert_allclose(first.result(), whole.result())
    np.testing.assert_allclose(first.count.numpy(), 10.0)


def test_merge_state_refuses_other_kinds_of_metric():
    with pytest.raises(ValueError, match="same class"):
        Mean().merge_state([Sum()])


def test_compile_builds_state_shaped_by_the_outputs_before_the_compiled_step():
    from lamella.testing import Linear, PlainSGD, squared_error

    metric = ColumnTotals()
    model = lamella.Sequential([lamella.Input((2,)), Linear(3)])
    model.compile(optimizer=PlainSGD(), loss=squared_error, metrics=[metric])
    x = np.ones((4, 2), np.float32)
    logs = model.evaluate(x, np.zeros((4, 3), np.float32), batch_size=2, verbose=0, return_dict=True)
    assert metric.totals.shape == (3,)
    np.testing.assert_allclose(logs["column_totals"], np.asarray(model.predict(x, verbose=0)).sum(), rtol=1e-6)
