"""Initial values that a variable can take over without copying them.

Moving a numpy array to the CPU device copies it, and in a new process the copy
lands in memory the kernel has to fault in and zero page by page. When the array
starts on a 64-byte boundary, XLA:CPU can use its memory in place
(``jax.device_put(..., may_alias=True)``): the largest weights of ResNet50 (25.6M
values) then became device arrays in 2-3 ms instead of 32-44 ms (jax 0.10, 2
cores), and the initializers' own float32 copy went too. This module arranges that
for the arrays the initializers make:

- ``empty`` allocates an aligned array and records it as *unclaimed*;
- ``claim`` tells a variable whether an array is one of those, fresh from an
  initializer, and hands it over: it is forgotten here and made read-only, so the
  memory the device array uses can no longer change from the host (code that kept
  a reference gets an error on writing, instead of silently editing the weight).

An array that did not come from ``empty`` (a user's initial value, an initializer
written outside lamella) is copied as before. On accelerators the transfer is a
copy either way; nothing here changes what the values are.
"""

import weakref

import numpy as np

ALIGNMENT = 64  # bytes: what XLA:CPU requires to use a host buffer in place

# id -> array for arrays from ``empty`` that no variable has taken yet. Weak, so an
# initializer's output that nobody keeps leaves no trace.
_unclaimed = weakref.WeakValueDictionary()


def empty(shape, dtype):
    """An uninitialized C-contiguous array whose data starts on a 64-byte boundary."""
    dtype = np.dtype(dtype)
    shape = tuple(int(d) for d in shape)
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    raw = np.empty(nbytes + ALIGNMENT, dtype=np.uint8)
    start = -raw.ctypes.data % ALIGNMENT
    array = raw[start:start + nbytes].view(dtype).reshape(shape)
    _unclaimed[id(array)] = array
    return array


def fresh(values, dtype):
    """``values`` as an unclaimed aligned array of ``dtype``: itself when it already
    is one of that dtype, otherwise a converted copy."""
    dtype = np.dtype(dtype)
    if isinstance(values, np.ndarray) and values.dtype == dtype and _unclaimed.get(id(values)) is values:
        return values
    values = np.asarray(values)
    array = empty(values.shape, dtype)
    np.copyto(array, values, casting="unsafe")
    return array


def claim(value):
    """Whether ``value`` is an unclaimed array from ``empty``; if so, the caller now
    owns it alone and it is read-only from here on."""
    if not isinstance(value, np.ndarray) or _unclaimed.get(id(value)) is not value:
        return False
    del _unclaimed[id(value)]
    value.flags.writeable = False
    return True
