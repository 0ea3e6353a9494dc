#!/usr/bin/env python3
"""Set up the lamella workspace and run its jobs. Needs only Python 3.11+.

    python3 dev.py demo     # set up, then serve the ResNet app's page on http://127.0.0.1:8000/
    python3 dev.py mlp-demo # set up, then train the seed MLP and print its evaluation
    python3 dev.py test     # set up, then run every test environment (what CI runs)
    python3 dev.py bench    # set up, then run the benchmarks side by side with peers

Setting up means: find ``uv`` (or install it into ``.cache/bootstrap``), then
``uv sync`` every workspace member and the dev tools into ``.venv`` from
``uv.lock``. Extra arguments after the job go to the tool it runs (pytest via tox,
or the demo).
"""

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
UV_VERSION = "0.13.9"
BOOTSTRAP = ROOT / ".cache" / "bootstrap"


def _run(cmd, **kwargs):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, **kwargs).returncode


def find_uv():
    """The ``uv`` executable: on PATH, or installed once into .cache/bootstrap."""
    found = shutil.which("uv")
    if found:
        return found
    scripts = BOOTSTRAP / ("Scripts" if os.name == "nt" else "bin")
    uv = scripts / ("uv.exe" if os.name == "nt" else "uv")
    if not uv.exists():
        print(f"uv not found: installing uv {UV_VERSION} into {BOOTSTRAP}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(BOOTSTRAP)
        code = _run([scripts / "python", "-m", "pip", "install", "-q", f"uv=={UV_VERSION}"])
        if code:
            sys.exit(f"Could not install uv (pip exited with {code}).")
    return str(uv)


def setup():
    """Creates or updates .venv with every member and the dev tools, as locked."""
    uv = find_uv()
    os.environ.setdefault("UV_PYTHON_DOWNLOADS", "never")
    code = _run([uv, "sync", "--locked", "--all-packages", "--python", sys.executable])
    if code:
        sys.exit(f"uv sync failed with exit code {code}.")
    return uv


def venv_bin(name):
    scripts = ROOT / ".venv" / ("Scripts" if os.name == "nt" else "bin")
    return scripts / name


def demo(args):
    """The ResNet app's web page with its embedded model (offline; Ctrl-C stops)."""
    setup()
    try:
        return _run([venv_bin("lamella-resnet"), "serve", *args])
    except KeyboardInterrupt:
        return 0


def mlp_demo(args):
    setup()
    return _run([venv_bin("lamella-demo"), *args])


def test(args):
    setup()
    # tox runs each distribution alone, then the isolation and integration tests.
    return _run([venv_bin("tox"), "run", *(["--", *args] if args else [])])


BENCHMARKS = {
    "mlp": "benchmarks/bench_mlp.py",
    "lstm": "benchmarks/bench_lstm.py",
    "convnet": "benchmarks/bench_convnet.py",
    "input_pipeline": "benchmarks/bench_input_pipeline.py",
    "serve": "benchmarks/bench_serve.py",
    "resnet": "benchmarks/bench_resnet.py",
    "resnet_train": "benchmarks/bench_resnet_train.py",
}


def bench(args):
    """``bench [mlp|lstm|convnet|input_pipeline|serve|resnet|resnet_train] [args]``: one benchmark with
    its arguments (``--help`` lists them), or every one."""
    if args and not args[0].startswith("-") and args[0] not in BENCHMARKS:
        print(f"Unknown benchmark {args[0]!r}: expected one of {', '.join(BENCHMARKS)}.")
        return 2
    setup()
    if args and args[0] in BENCHMARKS:
        return _run([venv_bin("python"), BENCHMARKS[args[0]], *args[1:]])
    for script in BENCHMARKS.values():
        code = _run([venv_bin("python"), script, *args])
        if code:
            return code
    return 0


JOBS = {"demo": demo, "mlp-demo": mlp_demo, "test": test, "bench": bench}


def main(argv):
    if not argv or argv[0] not in JOBS:
        print(__doc__)
        return 2
    return JOBS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
