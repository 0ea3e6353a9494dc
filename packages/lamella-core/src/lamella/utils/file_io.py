"""Atomic file writes: a reader sees the old file or the new one, never a torn one.

The data goes to a temporary file in the destination's folder (same filesystem, so
the final ``os.replace`` is atomic), is flushed and fsynced, then renamed over the
destination. If anything fails before the rename, the temporary file is removed and
the destination is untouched.

A process killed in the middle of a write (``SIGKILL``, power loss) cannot remove its
temporary file. The name says whose it is, ``.<name>.lamella-<host>-<pid>-<random>.tmp``,
so the next write of the same path removes those of this host whose process has
gone; one whose process still runs may be another writer's save in progress and is
left alone, as are those of other hosts (on a shared filesystem their pid means
nothing here).

``mkstemp`` creates its file readable by its owner only; before the rename the file
gets the mode the destination had, or for a new file the mode ``open`` would have
given it (``0o666`` less the umask), so a saved model is as readable as any file.
"""

import contextlib
import os
import re
import socket
import tempfile

_MARK = "lamella"


def _host():
    # Dashes separate the fields of the name: keep the host name free of them.
    return re.sub(r"[^A-Za-z0-9_.]", "_", socket.gethostname()) or "host"


def _temporary_prefix(base):
    return f".{base}.{_MARK}-{_host()}-{os.getpid()}-"


def _process_is_gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OSError):
        return False  # it exists (another user's), or we cannot tell: keep the file
    return False


def remove_stale_temporary_files(path):
    """Removes the temporary files that interrupted writes of ``path`` left behind
    on this host (their process is gone); returns the names removed."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    pattern = re.compile(
        rf"\.{re.escape(os.path.basename(path))}\.{_MARK}-{re.escape(_host())}-(\d+)-\w+\.tmp"
    )
    try:
        names = os.listdir(folder)
    except OSError:
        return []  # the write itself will report a missing or unreadable folder
    removed = []
    for name in names:
        match = pattern.fullmatch(name)
        if match is None or int(match.group(1)) == os.getpid():
            continue
        if _process_is_gone(int(match.group(1))):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, name))
                removed.append(name)
    return removed


def _current_umask():
    # The only portable way to read the umask is to set it; put it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _final_mode(path):
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return 0o666 & ~_current_umask()


@contextlib.contextmanager
def atomic_open(path, mode="wb", encoding=None):
    """Opens a temporary file that replaces ``path`` when the block exits cleanly."""
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open writes whole files. Received: mode={mode!r}")
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    remove_stale_temporary_files(path)
    fd, tmp_path = tempfile.mkstemp(
        prefix=_temporary_prefix(os.path.basename(path)), suffix=".tmp", dir=folder
    )
    try:
        with os.fdopen(fd, mode, encoding=encoding) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(OSError):  # e.g. a filesystem without modes
            os.chmod(tmp_path, _final_mode(path))
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
