"""Shared pieces of the side-by-side benchmarks in this folder.

A benchmark script runs every contestant in its own Python subprocess (so contestants
share no jit caches, thread pools, allocator state or imported modules) and reads one
JSON document back from the child's stdout. This module holds what every script
needs for that:

- ``run_worker``: start one contestant's subprocess and parse its JSON result;
- ``emit``: what the child calls to hand its result back;
- ``EpochClock``: wall-clock epoch boundaries recorded by a framework callback, each
  taken only after the device is idle (``jax.block_until_ready`` on the model's
  weights), so asynchronous dispatch cannot end an epoch early;
- ``summarize``: first-epoch time and steady-state throughput (median and spread)
  from a list of epoch wall times;
- ``other_load`` / ``wait_for_quiet``: how busy other processes keep the CPUs;
- ``compile_bytecode``: every contestant starts from compiled modules, as after
  ``pip install``;
- ``machine_info``, ``source_state`` (git commit and changed files),
  ``format_table`` and ``write_results`` (the JSON document, written atomically).

Nothing here imports lamella, keras or optax: children import the framework they
measure and nothing else.
"""

import atexit
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

# Marks the line of a child's stdout that holds its result (frameworks may print).
RESULT_PREFIX = "BENCH_RESULT "


# -- the child side ---------------------------------------------------------------------


def emit(result):
    """Writes ``result`` (a JSON-serializable dict) for the parent to read."""
    sys.stdout.write(RESULT_PREFIX + json.dumps(result) + "\n")
    sys.stdout.flush()


def _system_cpu_seconds():
    """Busy and stolen CPU seconds of the whole machine so far (Linux; else zeros)."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    hz = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    steal = fields[7] if len(fields) > 7 else 0
    busy = sum(fields[:8]) - idle - steal  # user..softirq (guest is in user already)
    return busy / hz, steal / hz


class _Mark:
    """One instant: wall clock, this process's CPU time, the machine's busy CPU."""

    def __init__(self):
        self.wall = time.perf_counter()
        self.own_cpu = time.process_time()  # all threads of this process
        self.system_busy, self.steal = _system_cpu_seconds()


class EpochClock:
    """Wall-clock times of epoch boundaries, for any ``fit``-style training loop.

    ``start()`` is called just before training starts (before ``model.fit``);
    ``epoch_end(arrays)`` at the end of each epoch, with device arrays produced by the
    epoch's last step (the model's weights): it blocks until they are computed before
    reading the clock. ``stop()`` after training returns.

    Epoch ``i`` lasts from the end of epoch ``i - 1`` (or ``start()``) to its own end:
    everything the training loop does between epochs is charged to an epoch.

    Each boundary also samples CPU accounting, so every epoch reports how many cores
    this process kept busy and how much CPU *other* processes (and the hypervisor,
    as steal time) took meanwhile: the benchmark's noise on a shared machine.
    """

    def __init__(self):
        self.started = None
        self.ends = []
        self.sync_waits = []
        self.stopped = None

    def start(self):
        self.started = _Mark()

    def epoch_end(self, arrays=None):
        """Marks an epoch's end once ``arrays`` are computed. The time spent waiting
        for them is kept (``sync_waits``): near zero when the training loop had
        already synchronized (e.g. by reading the epoch's logs)."""
        waited = time.perf_counter()
        if arrays is not None:
            import jax

            jax.block_until_ready(arrays)
        self.ends.append(_Mark())
        self.sync_waits.append(self.ends[-1].wall - waited)

    def stop(self, arrays=None):
        if arrays is not None:
            import jax

            jax.block_until_ready(arrays)
        self.stopped = _Mark()

    def _spans(self):
        bounds = [self.started, *self.ends]
        return list(zip(bounds, bounds[1:]))

    def epoch_seconds(self):
        return [b.wall - a.wall for a, b in self._spans()]

    def epoch_load(self):
        """Per epoch: cores used by this process, by other processes, and stolen."""
        out = []
        for a, b in self._spans():
            wall = b.wall - a.wall
            own = (b.own_cpu - a.own_cpu) / wall
            others = max(0.0, (b.system_busy - a.system_busy) / wall - own)
            out.append({"own_cores": own, "other_cores": others,
                        "steal_cores": (b.steal - a.steal) / wall})
        return out

    def total_seconds(self):
        return self.stopped.wall - self.started.wall


# -- the parent side --------------------------------------------------------------------


def run_worker(script, args, env=None, timeout=1800):
    """Runs ``python script *args`` in a fresh process; returns its parsed result.

    ``env`` entries are added to (or, when ``None``, removed from) the parent's
    environment. A child that fails raises ``RuntimeError`` with its stderr tail.
    """
    child_env = dict(os.environ)
    for key, value in (env or {}).items():
        if value is None:
            child_env.pop(key, None)
        else:
            child_env[key] = value
    completed = subprocess.run(
        [sys.executable, script, *args],
        env=child_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if completed.returncode != 0 or not lines:
        tail = "\n".join(completed.stderr.strip().splitlines()[-30:])
        raise RuntimeError(
            f"worker {' '.join(args)} failed (exit {completed.returncode}):\n{tail}"
        )
    return json.loads(lines[-1][len(RESULT_PREFIX):])


def other_load(seconds=1.0):
    """Cores kept busy by every process on the machine over ``seconds`` (the parent
    is idle meanwhile, so this is what a contestant would compete with)."""
    busy0, steal0 = _system_cpu_seconds()
    time.sleep(seconds)
    busy1, steal1 = _system_cpu_seconds()
    return (busy1 - busy0 + steal1 - steal0) / seconds


def wait_for_quiet(max_wait, threshold=0.5, log=None):
    """Waits (up to ``max_wait`` seconds) until other processes use under
    ``threshold`` cores; returns the last load seen. On a shared machine this keeps
    someone else's burst of work from landing in the middle of a measurement (it
    cannot help with a neighbour that stays busy: the per-epoch load records that)."""
    deadline = time.perf_counter() + max_wait
    load = other_load()
    if load >= threshold and log:
        log(f"    (other processes use {load:.2f} cores; waiting up to {max_wait:.0f} s)")
    while load >= threshold and time.perf_counter() < deadline:
        time.sleep(2.0)
        load = other_load()
    return load


def fresh_cache_dir(prefix="bench-xla-cache-"):
    """An empty folder for a persistent compilation cache (a cold start), removed
    when this process exits (the workers that fill it have ended by then)."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


QUIET_CORES = 0.3  # an epoch is "quiet" when other processes used less CPU than this


def summarize(epoch_seconds, samples_per_epoch, epoch_load=None):
    """First-epoch time and steady-state throughput from per-epoch wall times.

    Steady state is every epoch after the first. Throughput is reported as the
    median epoch's samples/s, with the fastest and slowest epochs and the relative
    spread ``(max - min) / median`` of the epoch times as the noise level.

    With ``epoch_load`` (one ``EpochClock.epoch_load`` entry per epoch), also: the
    median number of cores other processes used during the steady epochs, and the
    median throughput of the steady epochs during which they used under
    ``QUIET_CORES`` (``quiet_samples_per_s``, over ``quiet_epochs`` epochs).
    """
    first, steady = epoch_seconds[0], list(epoch_seconds[1:])
    out = {"first_epoch_s": first, "steady_epochs": len(steady)}
    if not steady:
        return out
    median = statistics.median(steady)
    out.update(
        median_epoch_s=median,
        samples_per_s=samples_per_epoch / median,
        samples_per_s_min=samples_per_epoch / max(steady),
        samples_per_s_max=samples_per_epoch / min(steady),
        spread=(max(steady) - min(steady)) / median,
    )
    if epoch_load and len(epoch_load) == len(epoch_seconds):
        others = [e["other_cores"] + e["steal_cores"] for e in epoch_load[1:]]
        out["other_cores"] = statistics.median(others)
        out["own_cores"] = statistics.median(e["own_cores"] for e in epoch_load[1:])
        quiet = [t for t, o in zip(steady, others) if o < QUIET_CORES]
        out["quiet_epochs"] = len(quiet)
        if quiet:
            out["quiet_samples_per_s"] = samples_per_epoch / statistics.median(quiet)
    return out


def compile_bytecode(log=None):
    """Compiles the modules of this environment and of the workspace's editable
    distributions to bytecode (seconds taken; quick once done).

    ``pip install`` compiles what it installs, so a user's ``import`` reads
    bytecode. ``uv sync`` and editable installs leave none, and where
    ``PYTHONDONTWRITEBYTECODE`` is set (children get it, so runs do not write into
    the tree) every process would compile its sources again: 0.3 s of lamella's
    construction-to-first-prediction time and seconds of Keras's import on a 2-core
    machine. Both contestants are measured as installed.
    """
    import compileall
    import glob
    import sysconfig

    started = time.perf_counter()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    folders = [sysconfig.get_paths()["purelib"]]
    for pattern in ("packages/*/src", "plugins/*/src", "apps/*/src"):
        folders += sorted(glob.glob(os.path.join(root, pattern)))
    for folder in folders:
        # quiet=2: no listing and no errors (site-packages holds test data that
        # is not valid Python); workers=0: one process per CPU.
        compileall.compile_dir(folder, quiet=2, workers=0)
    seconds = time.perf_counter() - started
    if log is not None:
        log(f"bytecode compiled for {len(folders)} source folders ({seconds:.1f} s)")
    return seconds


def machine_info():
    """The machine and library versions (read without importing the frameworks)."""
    from importlib import metadata

    def version(dist):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    cpu_model = None
    try:
        with open("/proc/cpuinfo") as f:
            cpu_model = next(
                (row.split(":", 1)[1].strip() for row in f if row.startswith("model name")), None
            )
    except OSError:
        pass
    return {
        "cpu_count": os.cpu_count(),
        "cpu_affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": cpu_model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": {
            dist: version(dist)
            for dist in ("jax", "jaxlib", "keras", "optax", "numpy", "lamella-core", "lamella-layers")
        },
        "load_average_at_start": list(os.getloadavg()),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def source_state(path):
    """The git commit of the checkout holding ``path`` and the files changed since
    (read-only git commands; ``None`` outside a git checkout): the lamella measured."""

    def git(*args):
        try:
            out = subprocess.run(
                ["git", *args], cwd=path, capture_output=True, text=True, timeout=30
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout if out.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if commit is None:
        return None
    changed = git("status", "--porcelain", "--untracked-files=no") or ""
    return {
        "commit": commit.strip(),
        "changed_files": [line[3:] for line in changed.splitlines() if line.strip()],
    }


def write_results(path, document):
    """Writes ``document`` as JSON to ``path`` through a temporary file in the same
    folder, so an interrupted run leaves the previous results whole."""
    path = os.path.abspath(os.fspath(path))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".results-", suffix=".json")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(document, f, indent=1, default=str)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; results are for reading
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def format_table(headers, rows):
    """A plain-text table; numbers are already formatted strings."""
    widths = [max([len(str(h)), *(len(str(r[i])) for r in rows)]) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(  # noqa: E731
        str(c).ljust(w) if i < 2 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths))
    )
    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])
