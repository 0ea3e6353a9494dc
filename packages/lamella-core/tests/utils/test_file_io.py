"""Atomic writes: a reader sees the old file or the new one, never a torn one."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from lamella.utils import file_io

_SAVER = textwrap.dedent(
    """
    import sys
    import numpy as np
    import lamella
    from lamella.testing import Linear

    path = sys.argv[1]
    x = lamella.Input((1000,))
    model = lamella.Model(x, Linear(1000, name="big")(x))
    version = 0
    while True:
        model.set_weights([np.full((1000, 1000), version, np.float32),
                           np.full((1000,), version, np.float32)])
        model.save(path)
        if version == 0:
            print("saved", flush=True)
        version += 1
    """
)


def test_process_killed_in_the_middle_of_save_leaves_the_previous_file_loadable(tmp_path):
    from lamella.saving import load_model
    from lamella.testing import Linear

    path = tmp_path / "model.keras"
    child = subprocess.Popen(
        [sys.executable, "-c", _SAVER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "saved"
        deadline = time.monotonic() + 120
        while not any(name.endswith(".tmp") for name in os.listdir(tmp_path)):
            assert time.monotonic() < deadline, "the saving process never started a write"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL
    # The kill interrupted a write (its temporary file is left behind, named after
    # the file and the dead process), and the destination still holds one complete
    # earlier save.
    stale = [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]
    assert len(stale) == 1
    assert stale[0].startswith(f".model.keras.lamella-{file_io._host()}-{child.pid}-")
    model = load_model(path, custom_objects={"Linear": Linear})
    kernel, bias = model.get_weights()
    assert kernel.shape == (1000, 1000)
    version = kernel[0, 0]
    assert version == int(version) >= 0
    np.testing.assert_array_equal(kernel, version)
    np.testing.assert_array_equal(bias, version)
    # The next save of the same path clears the dead process's leftover.
    model.save(path)
    assert sorted(os.listdir(tmp_path)) == ["model.keras"]


def test_only_leftovers_of_gone_processes_of_this_host_are_removed(tmp_path):
    path = tmp_path / "w.h5"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(gone.stdout)
    host = file_io._host()
    names = {
        "dead": f".w.h5.lamella-{host}-{dead_pid}-abc_123.tmp",
        "alive": f".w.h5.lamella-{host}-{os.getppid()}-def456.tmp",  # pytest's parent runs
        "other host": f".w.h5.lamella-elsewhere-{dead_pid}-ghi789.tmp",
        "other file": f".v.h5.lamella-{host}-{dead_pid}-jkl000.tmp",
        "not ours": ".w.h5.abcdef.tmp",
    }
    for name in names.values():
        (tmp_path / name).write_bytes(b"partial")
    file_io.atomic_write_bytes(path, b"complete")
    assert path.read_bytes() == b"complete"
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["w.h5"] + [name for key, name in names.items() if key != "dead"])


def test_atomic_open_keeps_the_old_file_when_the_block_raises(tmp_path):
    path = tmp_path / "f.txt"
    file_io.atomic_write_text(path, "old")
    with pytest.raises(RuntimeError, match="boom"):
        with file_io.atomic_open(path, "w", encoding="utf-8") as f:
            f.write("new, half written")
            raise RuntimeError("boom")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["f.txt"]


def test_atomic_open_refuses_append_mode(tmp_path):
    with pytest.raises(ValueError, match="mode='a'"):
        with file_io.atomic_open(tmp_path / "f", "a"):
            pass


def test_written_files_get_the_usual_mode_not_the_temporary_files(tmp_path):
    previous = os.umask(0o022)
    try:
        file_io.atomic_write_bytes(tmp_path / "new.bin", b"x")
        assert (tmp_path / "new.bin").stat().st_mode & 0o777 == 0o644
        os.chmod(tmp_path / "new.bin", 0o640)
        file_io.atomic_write_bytes(tmp_path / "new.bin", b"y")  # an existing file keeps its mode
        assert (tmp_path / "new.bin").stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(previous)
