"""The glibc settings that keep XLA:CPU's large buffers in the process."""

import json
import os
import platform
import subprocess
import sys

import pytest

from lamella.backend import config, host_memory


class _RecordingLibc:
    def __init__(self, answer=1):
        self.calls = []
        self.answer = answer

    def mallopt(self, param, value):
        self.calls.append((param, value))
        return self.answer


@pytest.fixture
def fresh_state(monkeypatch):
    monkeypatch.setitem(host_memory._state, "applied", None)
    monkeypatch.setattr(config, "_config", dict(config.get_config(), malloc_tuning=True))
    monkeypatch.delenv("JAX_PLATFORMS", raising=False)


def test_configure_sets_one_arena_no_mmap_and_no_trim(fresh_state):
    libc = _RecordingLibc()
    assert host_memory.configure(libc) is True
    assert libc.calls == [(-8, 1), (-4, 0), (-1, 2**31 - 1)]
    assert host_memory.applied() is True
    # Once per process: a second call changes nothing.
    assert host_memory.configure(_RecordingLibc(answer=0)) is True and len(libc.calls) == 3


def test_a_refusal_is_reported_not_raised(fresh_state):
    assert host_memory.configure(_RecordingLibc(answer=0)) is False
    assert host_memory.applied() is False


def test_disabled_by_configuration(fresh_state, monkeypatch):
    monkeypatch.setattr(config, "_config", dict(config.get_config(), malloc_tuning=False))
    libc = _RecordingLibc()
    assert host_memory.configure(libc) is False and libc.calls == []


def test_skipped_when_jax_platforms_leave_out_the_cpu(fresh_state, monkeypatch):
    monkeypatch.setenv("JAX_PLATFORMS", "cuda")
    libc = _RecordingLibc()
    assert host_memory.configure(libc) is False and libc.calls == []
    monkeypatch.setitem(host_memory._state, "applied", None)
    monkeypatch.setenv("JAX_PLATFORMS", "cuda, cpu")
    assert host_memory.configure(libc) is True


def test_environment_variable_turns_it_off(tmp_path):
    code = "import lamella.backend as b; print(b.host_memory.applied())"
    env = {**os.environ, "LAMELLA_HOME": str(tmp_path), "LAMELLA_MALLOC_TUNING": "0"}
    env.pop("JAX_PLATFORMS", None)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


# Runs a program with a 100 MB output 32 times and counts the page faults of each
# call: glibc serves such a block from a fresh mmap unless the settings are in effect.
_FAULTS = """
import json, resource
import lamella.backend as backend
import jax, jax.numpy as jnp
x = jnp.ones((25_000_000,), jnp.float32)
double = jax.jit(lambda v: v * 2.0)
for _ in range(2):
    double(x).block_until_ready()
faults = []
for _ in range(32):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    y = double(x)
    y.block_until_ready()
    del y
    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
print(json.dumps({"applied": backend.host_memory.applied(), "faults": faults}))
"""


def _faults(tmp_path, tuning):
    env = {**os.environ, "LAMELLA_HOME": str(tmp_path), "LAMELLA_MALLOC_TUNING": tuning,
           "JAX_PLATFORMS": "cpu"}
    result = subprocess.run([sys.executable, "-c", _FAULTS], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _transparent_huge_pages_always():
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
            return "[always]" in f.read()
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                    reason="the settings are glibc's")
def test_large_buffers_are_not_faulted_in_again_on_every_call(tmp_path):
    pages = 100_000_000 // 4096
    tuned = _faults(tmp_path, "1")
    assert tuned["applied"] is True
    # The heap grows while it cannot yet hold every buffer in flight (frees are
    # asynchronous: 3-10 calls here, longer under load); after that, the output's
    # pages come back from it, so most of the last 16 calls fault nothing.
    faulting = [count > pages // 2 for count in tuned["faults"][-16:]]
    assert sum(faulting) <= 6, tuned
    if not _transparent_huge_pages_always():
        # Without the settings, every call faults the whole 100 MB in again.
        untuned = _faults(tmp_path, "0")
        assert untuned["applied"] is False
        assert min(untuned["faults"][-16:]) > pages // 2, untuned
