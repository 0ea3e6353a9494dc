"""Stateless scopes: how object-oriented layers become pure functions under ``jit``.

Layers read ``self.kernel`` and write ``self.moving_mean.assign(...)`` like ordinary
Python objects. Inside a ``StatelessScope`` those reads return the arrays the scope
was given (tracers, under ``jit``) and the writes are recorded in the scope instead of
touching the variables. A compiled step therefore looks like::

    with StatelessScope(zip(variables, values)) as scope:
        outputs = model(x)
    new_values = [scope.get_current_value(v) for v in variables]

which is a pure function of ``values`` (the Flax NNX split/merge idea, with Keras's
layer-authoring API kept intact). Losses added with ``add_loss`` during the call are
collected by the scope too.
"""

import threading

_local = threading.local()


def _stack():
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def current_scope():
    """The innermost active scope of this thread, or ``None``."""
    stack = getattr(_local, "stack", None)
    return stack[-1] if stack else None


class StatelessScope:
    """Binds variables to given values and records assignments and losses.

    Args:
        state_mapping: pairs ``(variable, value)``. Variables not listed read their
            own value (or an enclosing scope's).
        collect_losses: whether ``add_loss`` calls are recorded here.
    """

    def __init__(self, state_mapping=(), collect_losses=False):
        self._values = {}
        for variable, value in state_mapping:
            self._values[id(variable)] = (variable, value)
        self.collect_losses = collect_losses
        self.losses = []

    def add_update(self, variable, value):
        self._values[id(variable)] = (variable, value)

    def get_current_value(self, variable):
        entry = self._values.get(id(variable))
        return None if entry is None else entry[1]

    def add_loss(self, loss):
        self.losses.append(loss)

    def __enter__(self):
        self._parent = current_scope()
        _stack().append(self)
        return self

    def __exit__(self, *exc_info):
        _stack().pop()


def lookup(variable):
    """The value a scope holds for ``variable``, searching outwards, or ``None``."""
    stack = getattr(_local, "stack", None)
    if not stack:
        return None
    for scope in reversed(stack):
        value = scope.get_current_value(variable)
        if value is not None:
            return value
    return None


def loss_collecting_scope():
    """The innermost scope collecting losses, or ``None``."""
    stack = getattr(_local, "stack", None)
    if not stack:
        return None
    for scope in reversed(stack):
        if scope.collect_losses:
            return scope
    return None
