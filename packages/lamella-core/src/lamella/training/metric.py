"""``Metric``: the base of stateful metrics whose state lives in the compiled step.

A metric owns variables (totals, counts, confusion matrices). ``update_state``
accumulates a batch into them and ``result`` reads the value. The training engine
calls the ``stateless_*`` forms, which take and return the variables' values, so the
accumulation happens inside the compiled step and never syncs with the host.

The catalogue of metrics lives in lamella-losses; this base and the reductions the
engine itself needs (``Mean``, ``Sum``, ``MeanMetricWrapper``) live in core.
"""

import jax.numpy as jnp
import numpy as np

from lamella.backend import config
from lamella.backend.dtypes import standardize_dtype
from lamella.engine import naming, state_scope
from lamella.engine.variable import Variable


class Metric:
    """Base class of metrics.

    Subclasses create their state with ``add_variable`` in ``__init__`` (or, when
    its shape depends on the predictions, in ``build_state``) and implement
    ``update_state(...)`` and ``result()``.

    Args:
        name: the metric's name in logs.
        dtype: the dtype of its state and result (default ``floatx()``).
    """

    def __init__(self, name=None, dtype=None):
        self.name = name or naming.to_snake_case(type(self).__name__)
        self._dtype = standardize_dtype(dtype)
        self._variables = []
        self._initial_values = []

    @property
    def dtype(self):
        return self._dtype

    @property
    def variables(self):
        return list(self._variables)

    def add_variable(self, shape=(), initializer="zeros", dtype=None, aggregation="sum", name=None):
        """Creates a state variable (not trainable) and returns it."""
        from lamella import initializers

        dtype = standardize_dtype(dtype or self._dtype)
        value = np.asarray(initializers.get(initializer)(tuple(shape), dtype=dtype))
        variable = Variable(value, dtype=dtype, trainable=False, name=name or "state")
        variable.path = f"{self.name}/{variable.name}"
        variable.aggregation = aggregation
        self._variables.append(variable)
        self._initial_values.append(value)
        return variable

    add_weight = add_variable

    def build_state(self, y_pred_shape):
        """Creates the state whose shape depends on the predictions' shape (one
        value per class, per label). The engine calls it when ``compile``'s
        metrics meet the model's output shapes, so that the state exists before
        the compiled step; ``update_state`` calls it on first use. The default
        creates nothing."""

    def update_state(self, *args, **kwargs):
        raise NotImplementedError(f"Metric {type(self).__name__} must implement update_state.")

    def result(self):
        raise NotImplementedError(f"Metric {type(self).__name__} must implement result.")

    def reset_state(self):
        """Sets every state variable back to its initial value."""
        for variable, value in zip(self._variables, self._initial_values):
            variable.assign(value)

    def merge_state(self, metrics):
        """Adds the state of other metrics of the same kind into this one (the
        results of shards of a dataset combined into the result of the whole).

        Every variable is a sum (counts, totals, confusion matrices), so merging
        adds them. Metrics of another class or another state shape raise.
        """
        for other in metrics:
            if type(other) is not type(self) or [v.shape for v in other.variables] != [v.shape for v in self.variables]:
                raise ValueError(
                    f"{type(self).__name__} {self.name!r} can only merge metrics of the same "
                    f"class and state shapes. Received: {other!r} with state shapes "
                    f"{[v.shape for v in other.variables]}"
                )
            for mine, theirs in zip(self._variables, other.variables):
                mine.assign(mine.value + theirs.value)

    def initial_state(self):
        """The initial values of the state variables, as device arrays."""
        return [jnp.asarray(v) for v in self._initial_values]

    def stateless_update_state(self, metric_variables, *args, **kwargs):
        """``update_state`` as a pure function of the state values."""
        mapping = list(zip(self._variables, metric_variables))
        with state_scope.StatelessScope(mapping) as scope:
            self.update_state(*args, **kwargs)
        return [scope.get_current_value(v) for v in self._variables]

    def stateless_result(self, metric_variables):
        with state_scope.StatelessScope(list(zip(self._variables, metric_variables))):
            return self.result()

    def stateless_reset_state(self):
        return self.initial_state()

    def __call__(self, *args, **kwargs):
        """Updates the state with one batch and returns the result."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self._dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def default_dtype():
    return config.floatx()
