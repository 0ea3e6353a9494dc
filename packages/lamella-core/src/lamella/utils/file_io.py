"""Atomic file writes: a reader sees the old file or the new one, never a torn one.

The data goes to a temporary file in the destination's folder (same filesystem, so
the final ``os.replace`` is atomic), is flushed and fsynced, then renamed over the
destination. If anything fails before the rename, the temporary file is removed and
the destination is untouched.
"""

import contextlib
import os
import tempfile


@contextlib.contextmanager
def atomic_open(path, mode="wb", encoding=None):
    """Opens a temporary file that replaces ``path`` when the block exits cleanly."""
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open writes whole files. Received: mode={mode!r}")
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp_path = tempfile.mkstemp(
        prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder
    )
    try:
        with os.fdopen(fd, mode, encoding=encoding) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_path, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_path)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder):
    # Makes the rename itself durable; not every platform can open a folder.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_bytes(path, data):
    with atomic_open(path, "wb") as f:
        f.write(data)


def atomic_write_text(path, text, encoding="utf-8"):
    with atomic_open(path, "w", encoding=encoding) as f:
        f.write(text)
