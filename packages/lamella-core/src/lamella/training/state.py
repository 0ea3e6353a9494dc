"""The training state at the jit boundary: typed lists of arrays, split once per fit.

``TrainState`` is the pytree a compiled step takes and returns::

    (trainable, non_trainable, optimizer, metrics, position)

The variables behind each list are collected once per ``fit`` (the "telescoping"
of Flax NNX), never per step. Between steps the arrays live here, not in the
variables: they are written back at the points where user code may look at the
model (callbacks, the end of ``fit``, an exception), and read again afterwards in
case a callback assigned new values (``EarlyStopping`` restoring weights, a
learning-rate change).
"""

import jax.numpy as jnp


class StateLayout:
    """The variables behind each list of the state, in a fixed order."""

    def __init__(self, trainable, non_trainable, optimizer, metrics):
        self.trainable = list(trainable)
        self.non_trainable = list(non_trainable)
        self.optimizer = list(optimizer)
        self.metrics = list(metrics)
        # Set by the engine: where the arrays go (``lamella.distribution.placement``).
        self.placement = None

    def groups(self):
        return (self.trainable, self.non_trainable, self.optimizer, self.metrics)

    def read(self, metrics_values=None):
        """The state from the variables' current values (metrics from ``metrics_values``)."""
        seen = set()

        def fresh(value):
            # Donating one buffer twice is an error; two variables can hold the same
            # array (after ``a.assign(b.value)``), so duplicates are copied.
            if id(value) in seen:
                return jnp.array(value, copy=True)
            seen.add(id(value))
            return value

        groups = [
            [fresh(v._value) for v in self.trainable],
            [fresh(v._value) for v in self.non_trainable],
            [fresh(v._value) for v in self.optimizer],
            [fresh(v) for v in metrics_values]
            if metrics_values is not None
            else [fresh(v._value) for v in self.metrics],
        ]
        return groups if self.placement is None else self.placement.place_state(groups)

    def write(self, state_groups):
        """Points every variable at its array of the state (no copy, no sync)."""
        for variables, values in zip(self.groups(), state_groups):
            for variable, value in zip(variables, values):
                variable._value = value

    def changed_since(self, state_groups):
        """Whether any variable was assigned since ``write(state_groups)``."""
        for variables, values in zip(self.groups(), state_groups):
            for variable, value in zip(variables, values):
                if variable._value is not value:
                    return True
        return False


def state_changes(inputs, values):
    """The entries of ``values`` that are not the traced ``inputs`` themselves, by
    position (a dict, whose keys are fixed when the step is traced).

    A jitted function that returns one of its arguments unchanged still writes it
    to a new buffer: XLA copies a parameter it does not own into each output. The
    steps whose callers keep their arguments (evaluate and predict, which donate
    nothing) therefore return only the non-trainable values a layer assigned;
    otherwise ResNet50's predict step copied its 106 batch-normalization
    statistics on every call, and a frozen ResNet50 all its 25.6M weights.
    """
    return {i: value for i, (original, value) in enumerate(zip(inputs, values)) if value is not original}


def with_changes(values, changes):
    """``values`` (a list) with the entries of ``changes`` (from ``state_changes``)
    put in; ``values`` itself when nothing changed."""
    if not changes:
        return values
    values = list(values)
    for index, value in changes.items():
        values[index] = value
    return values
