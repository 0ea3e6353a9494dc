"""Logs that stay on the device until someone reads them.

A step returns its logs (loss, metric results) as device scalars. ``DeviceLogs``
wraps them in a read-only mapping that turns a value into a Python float on first
access, so a callback that never looks at batch logs never forces the host to wait
for the device.
"""

from collections.abc import Mapping

import jax
import numpy as np


def to_python(value):
    array = np.asarray(value)
    if array.ndim == 0:
        return array.item()
    return array


class DeviceLogs(Mapping):
    """A mapping of log names to values, fetched from the device lazily."""

    def __init__(self, values, extra=None, order=None):
        values = dict(values or {})
        keys = [k for k in (order or ()) if k in values] + [k for k in values if k not in (order or ())]
        self._device = {k: values[k] for k in keys}
        self._host = dict(extra or {})

    def __getitem__(self, key):
        if key in self._host:
            return self._host[key]
        value = self._device[key]
        self._host[key] = result = to_python(value)
        return result

    def __iter__(self):
        yield from self._device
        yield from (k for k in self._host if k not in self._device)

    def __len__(self):
        return len(set(self._device) | set(self._host))

    def materialize(self):
        """A plain dict of Python values (one transfer for every pending value)."""
        pending = {k: v for k, v in self._device.items() if k not in self._host}
        if pending:
            fetched = jax.device_get(pending)
            self._host.update({k: to_python(v) for k, v in fetched.items()})
        return {k: self[k] for k in self}

    def unread(self):
        """The values without waiting for the device: device arrays for those not
        read yet. A callback can keep them and read many batches' logs later in one
        transfer (``fetch``); the engine never reuses a step's log buffers."""
        values = {k: self._host.get(k, v) for k, v in self._device.items()}
        values.update({k: v for k, v in self._host.items() if k not in values})
        return values

    def __repr__(self):
        return repr(self.materialize())


def fetch(values, order=None):
    """A dict of Python values from a dict of device arrays, in one transfer.

    ``order`` lists the keys in the order wanted (compiled functions return dicts
    with sorted keys; logs read loss first, then metrics, as in Keras).
    """
    fetched = jax.device_get(dict(values))
    keys = [k for k in order if k in fetched] if order else list(fetched)
    keys += [k for k in fetched if k not in keys]
    return {k: to_python(fetched[k]) for k in keys}
