"""Keeps the host memory of XLA:CPU's buffers in the process from call to call.

XLA:CPU allocates the buffers of every program run with ``posix_memalign``, on the
thread that runs it. glibc gives each such thread its own arena, and an arena
cannot hold a block over 64 MB: those come from a fresh ``mmap`` and go back to the
kernel when freed. A program whose buffers are that large therefore pays a page
fault, and the kernel's zeroing, for every 4 KB of them on every call. Measured
with jax 0.10 on a 2-core machine: ResNet50's batch-32 prediction faulted 520 MB
(127,000 faults) per call and took 1.25 s; with the settings below it faulted
4-100 MB per call and took 0.91-1.05 s. Convnet training steps, whose buffers
are smaller, did not change. (Frees are asynchronous, so the heap keeps growing
for the first few calls, and now and then a call still finds no free block.)

The settings (``mallopt``, glibc only, set once when the backend loads):

- one arena (``M_ARENA_MAX=1``): every thread allocates from the main heap, which
  grows with ``brk`` and can hold blocks of any size;
- no ``mmap`` for large blocks (``M_MMAP_MAX=0``);
- no trimming of the heap's free top (``M_TRIM_THRESHOLD``), so freed buffers are
  reused by the next call instead of being returned and faulted in again.

The cost is that the process keeps the memory of its largest call, as a caching
allocator would, and threads share one arena's lock (XLA allocates few, large
blocks). They apply to threads that allocate for the first time afterwards: import
lamella before running jax computations. Turn them off with
``LAMELLA_MALLOC_TUNING=0`` or ``"malloc_tuning": false`` in ``lamella.json``; they
are skipped off Linux, with another C library, and when ``JAX_PLATFORMS`` leaves
out the CPU.
"""

import ctypes
import os
import platform
import sys

from lamella.backend import config

# mallopt's parameter numbers (glibc's malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_MAX = -4
M_ARENA_MAX = -8

# The largest trim threshold mallopt takes (an int): the free top is never returned.
NO_TRIM = 2**31 - 1

SETTINGS = ((M_ARENA_MAX, 1), (M_MMAP_MAX, 0), (M_TRIM_THRESHOLD, NO_TRIM))

_state = {"applied": None}


def applied():
    """``True`` when the settings are in effect, ``False`` when skipped or refused,
    ``None`` before ``configure`` ran."""
    return _state["applied"]


def _uses_cpu():
    platforms = os.environ.get("JAX_PLATFORMS", "").strip()
    return not platforms or "cpu" in [p.strip() for p in platforms.split(",")]


def _glibc():
    """glibc, loaded with ctypes, or ``None`` on other systems and C libraries."""
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        return None
    try:
        # glibc's soname; ctypes.util.find_library would run ldconfig on every import.
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


def configure(libc=None):
    """Applies the settings as configured; called once, when the backend loads.

    ``libc``: the C library to call (tests pass a stand-in); found when omitted.
    Returns whether the settings are in effect.
    """
    if _state["applied"] is not None:
        return _state["applied"]
    _state["applied"] = False
    if not config.get_config()["malloc_tuning"] or not _uses_cpu():
        return False
    libc = libc if libc is not None else _glibc()
    if libc is None:
        return False
    # mallopt returns 1 on success; a refusal leaves glibc's defaults, which are
    # slower but correct, so it is not an error.
    _state["applied"] = all(libc.mallopt(param, value) == 1 for param, value in SETTINGS)
    return _state["applied"]
