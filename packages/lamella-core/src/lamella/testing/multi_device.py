"""Running test code on several (simulated) devices or processes.

jax fixes its devices when it starts: ``--xla_force_host_platform_device_count``
must be set before jax is imported, so code that needs several CPU devices runs
in a fresh Python process. The code calls ``report(value)`` once with a
JSON-serializable value, which the caller receives.
"""

import json
import os
import socket
import subprocess
import sys
import textwrap

_MARKER = "LAMELLA-TEST-REPORT:"

_PROLOGUE = f"""
import json as _json

def report(value):
    print({_MARKER!r} + _json.dumps(value), flush=True)
"""


def _environment(device_count, extra=None):
    env = dict(os.environ)
    flags = [f for f in env.get("XLA_FLAGS", "").split() if "xla_force_host_platform_device_count" not in f]
    env["XLA_FLAGS"] = " ".join([*flags, f"--xla_force_host_platform_device_count={int(device_count)}"])
    env["JAX_PLATFORMS"] = "cpu"
    env.update(extra or {})
    return env


def _parse(completed, what):
    if completed.returncode != 0:
        raise AssertionError(
            f"{what} failed with exit code {completed.returncode}.\n"
            f"--- stdout ---\n{completed.stdout[-4000:]}\n--- stderr ---\n{completed.stderr[-8000:]}"
        )
    reports = [line[len(_MARKER):] for line in completed.stdout.splitlines() if line.startswith(_MARKER)]
    if len(reports) != 1:
        raise AssertionError(
            f"{what} called report() {len(reports)} times; expected once.\n"
            f"--- stdout ---\n{completed.stdout[-4000:]}\n--- stderr ---\n{completed.stderr[-4000:]}"
        )
    return json.loads(reports[0])


def run_on_devices(code, device_count=4, timeout=300):
    """Runs ``code`` in a new Python process that sees ``device_count`` CPU devices.

    Args:
        code: Python source; it calls ``report(value)`` once.
        device_count: the number of CPU devices jax creates.
        timeout: seconds before the process is stopped (an error).

    Returns:
        The value passed to ``report``. A failing process raises an
        ``AssertionError`` with its output.
    """
    script = _PROLOGUE + textwrap.dedent(code)
    completed = subprocess.run(
        [sys.executable, "-c", script], env=_environment(device_count),
        capture_output=True, text=True, timeout=timeout,
    )
    return _parse(completed, f"The {device_count}-device process")


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_processes(code, num_processes=2, device_count=1, timeout=300):
    """Runs ``code`` in ``num_processes`` processes that form one jax job.

    Each process gets ``LAMELLA_DISTRIBUTION_JOB_ADDRESSES`` (a free port on
    127.0.0.1), ``LAMELLA_DISTRIBUTION_NUM_PROCESSES`` and
    ``LAMELLA_DISTRIBUTION_PROCESS_ID`` in its environment, so
    ``lamella.distribution.initialize()`` without arguments connects them.

    Returns:
        The values the processes reported, by process id.
    """
    script = _PROLOGUE + textwrap.dedent(code)
    address = f"127.0.0.1:{free_port()}"
    processes = []
    for process_id in range(num_processes):
        env = _environment(device_count, {
            "LAMELLA_DISTRIBUTION_JOB_ADDRESSES": address,
            "LAMELLA_DISTRIBUTION_NUM_PROCESSES": str(num_processes),
            "LAMELLA_DISTRIBUTION_PROCESS_ID": str(process_id),
        })
        processes.append(subprocess.Popen(
            [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        ))
    results = []
    try:
        for process_id, process in enumerate(processes):
            stdout, stderr = process.communicate(timeout=timeout)
            completed = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
            results.append(_parse(completed, f"Process {process_id} of {num_processes}"))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    return results
