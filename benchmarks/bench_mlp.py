"""MLP training speed: lamella vs Keras 3 (jax backend) vs a hand-written jax + optax loop.

Run everything with one command from the repository root::

    .venv/bin/python benchmarks/bench_mlp.py            # full run, ~4-6 minutes
    .venv/bin/python benchmarks/bench_mlp.py --quick    # a smoke test, ~1-2 minutes

Workloads (random float32 features, one-hot float32 labels of 10 classes, 60,000
samples, batch 128: 468 batches of 128 and one of 96 per epoch):

- ``seed_mlp``: the seed tutorial's 784-512(relu)-Dropout(0.2)-512(relu)-Dropout(0.2)
  -10(softmax). Mostly matmul work (~0.43 GFLOP per step): measures the compiled step.
  E = 4 epochs per run.
- ``tiny_mlp``: 32-32(relu)-10(softmax). Almost no arithmetic: measures the per-step
  overhead of the training loop (dispatch, host work, syncs). Batch 128 as well, so
  the two workloads differ only in model size. E = 30 epochs per run (0.05-0.2 s each).

Contestants, each in its own subprocess (no shared jit caches, threads or memory),
each given the same data:

- ``lamella``: ``lamella.Sequential`` of ``lamella.layers.Dense``/``Dropout``,
  ``compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])``,
  ``fit(x, y, batch_size=128, epochs=E, verbose=0, shuffle=True)``. lamella's
  persistent XLA compilation cache (on by default) is pointed at a fresh empty folder,
  so its first epoch compiles cold like everyone else's.
- ``lamella-warm``: one more lamella process per round, one epoch, on the cache the
  ``lamella`` run just filled: the first epoch a user sees when running the same script
  again (only its first epoch is reported).
- ``keras``: the same model and calls with Keras 3, ``KERAS_BACKEND=jax``.
- ``jax``: a hand-written loop, as fast as we could honestly make it (``HandWritten``):
  data on the device once; one jitted step with the state donated (params, optax adam
  state, rng key, batch position, loss/accuracy accumulators) that gathers its batch
  from the epoch's permutation on the device (``lax.dynamic_slice`` + ``jnp.take``),
  applies dropout, categorical crossentropy, the adam update and an accuracy count; a
  host loop over steps; the permutation drawn with numpy and sent once per epoch; the
  loss and accuracy read back only at epoch end; no random numbers drawn when there
  is no dropout. Same work as the others (shapes, adam with Keras' defaults,
  glorot-uniform kernels, zero biases), not the same values.
- ``jax-scan``: the same hand-written step, but each dispatch runs a ``lax.scan``
  over up to 16 steps (13 here: a divisor of the 468 full batches, so no extra
  program compiles). ``jax`` is the host loop of single steps that DESIGN.md §5 once
  listed as the best for small models; with jax 0.10 on this 2-core CPU the scan was
  the fastest hand-written loop we found for both workloads, so it is the real bar
  of DESIGN.md §5 ("at least as fast as the best hand-written jax loop").

What is measured (wall clock, ``time.perf_counter``):

- first epoch: from just before ``fit`` (for ``jax``: before the data and weights go
  to the device) to the end of the first epoch. It includes moving the data, creating
  the optimizer state and compiling. Importing the framework and building the model
  come before and are reported apart (``import_build_s`` in the JSON).
- steady state: each later epoch, from the end of the previous epoch to the end of
  this one. Throughput = samples per epoch / the median epoch; the fastest and slowest
  epochs and the spread ``(max - min) / median`` show the noise. Every contestant runs
  ``--rounds`` times (a new process each time, the order rotated each round) and the
  steady epochs of all rounds are pooled; the first epoch is the median of the rounds.

An epoch ends when the device is idle: lamella's/Keras' timing callback blocks on the
model's weights in ``on_epoch_end`` before reading the clock, and the ``jax`` loop reads
its loss/accuracy back. The JSON keeps, per run, how long that block waited (``~0``:
the framework had already synchronized at epoch end, so no work was still in flight)
and the part of the total ``fit`` time that no epoch covered (``untimed_tail_s``).

The machine may be shared: every epoch also records the CPU cores that *other*
processes used meanwhile (from ``/proc/stat``), shown as "others' cores" (median over
the steady epochs), and the median throughput of the "quiet" epochs only (others
under 0.3 cores), when there are any. Before each run the parent waits (up to
``--quiet-wait`` seconds) for the CPUs to go idle.

Results: a table on stdout, progress on stderr, and ``benchmarks/results/mlp.json``
(machine info, versions, the git commit and locally changed files of the lamella
measured, settings, the summary, and every run's epoch times and CPU load).
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results", "mlp.json")

WORKLOADS = {
    "seed_mlp": {
        "features": 784, "hidden": [512, 512], "dropout": 0.2, "classes": 10,
        "samples": 60_000, "batch_size": 128, "epochs": 4,
    },
    "tiny_mlp": {
        "features": 32, "hidden": [32], "dropout": 0.0, "classes": 10,
        "samples": 60_000, "batch_size": 128, "epochs": 30,
    },
}
# The default set. jax-scan is the fastest hand-written loop found: the bar to meet.
CONTESTANTS = ("lamella", "keras", "jax", "jax-scan")
# lamella-progbar: lamella with verbose=1 and a live progress bar (stdout taken for a
# terminal, LAMELLA_PROGBAR_FORCE_TTY=1): History + the bar, the usual interactive fit.
EXTRA_CONTESTANTS = ("lamella-progbar",)
LEARNING_RATE = 1e-3  # Keras' and lamella's Adam default
ADAM_EPSILON = 1e-7  # Keras' default (optax's is 1e-8)


# -- data -------------------------------------------------------------------------------


def make_data(workload, seed=0):
    """Random float32 features and one-hot float32 labels (the same in every process)."""
    rng = np.random.default_rng(seed)
    n, f, c = workload["samples"], workload["features"], workload["classes"]
    x = rng.random((n, f), dtype=np.float32)
    y = np.eye(c, dtype=np.float32)[rng.integers(0, c, n)]
    return x, y


# -- contestants (run in the child process) ---------------------------------------------


def _build_keras_style(api, workload):
    """The workload's model with ``api`` = the ``lamella`` or ``keras`` module."""
    layers = [api.Input((workload["features"],))]
    for units in workload["hidden"]:
        layers.append(api.layers.Dense(units, activation="relu"))
        if workload["dropout"]:
            layers.append(api.layers.Dropout(workload["dropout"]))
    layers.append(api.layers.Dense(workload["classes"], activation="softmax"))
    model = api.Sequential(layers)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def _fit_keras_style(api, callback_base, workload, x, y, import_started, verbose=0):
    import jax

    model = _build_keras_style(api, workload)
    clock = _harness.EpochClock()

    class EpochTimer(callback_base):
        """Ends an epoch's clock once its last step's weights are computed."""

        def on_epoch_end(self, epoch, logs=None):
            clock.epoch_end([v.value for v in self.model.trainable_variables])

    import_build_s = time.perf_counter() - import_started
    clock.start()
    history = model.fit(
        x, y, batch_size=workload["batch_size"], epochs=workload["epochs"], verbose=verbose,
        shuffle=True, callbacks=[EpochTimer()],
    )
    clock.stop([v.value for v in model.trainable_variables])
    logs = {k: [float(v) for v in vs] for k, vs in history.history.items()}
    return clock, import_build_s, logs, jax


def run_lamella(workload, x, y, import_started):
    import lamella

    return _fit_keras_style(lamella, lamella.callbacks.Callback, workload, x, y, import_started)


def run_lamella_progbar(workload, x, y, import_started):
    import lamella

    return _fit_keras_style(lamella, lamella.callbacks.Callback, workload, x, y, import_started, verbose=1)


def run_keras(workload, x, y, import_started):
    import keras

    assert keras.backend.backend() == "jax", keras.backend.backend()
    return _fit_keras_style(keras, keras.callbacks.Callback, workload, x, y, import_started)


class HandWritten:
    """The hand-written jax + optax training loop's pieces (see the module docstring).

    ``host_params``: glorot-uniform kernels and zero biases, drawn with numpy like
    lamella does (no per-initializer compile). ``optimizer``: optax adam with Keras'
    defaults. ``make_step(size)``: the jitted step for batches of ``size`` rows,
    taking and donating the state ``(params, adam state, rng key, position, loss sum,
    hit count)``. ``epoch_start``: an epoch's permutation and zeroed counters.
    Profiling scripts reuse these pieces.
    """

    def __init__(self, workload):
        import jax
        import jax.numpy as jnp
        import optax

        self.workload = workload
        rate = workload["dropout"]
        sizes = [workload["features"], *workload["hidden"], workload["classes"]]
        init_rng = np.random.default_rng(1)
        self.host_params = []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            kernel = init_rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32)
            self.host_params.append((kernel, np.zeros(fan_out, np.float32)))
        optimizer = self.optimizer = optax.adam(LEARNING_RATE, eps=ADAM_EPSILON)

        hidden = len(sizes) - 2

        def forward(params, xb, keys):
            h = xb
            for (kernel, bias), k in zip(params[:-1], keys):
                h = jax.nn.relu(h @ kernel + bias)
                if rate:
                    keep = jax.random.bernoulli(k, 1.0 - rate, h.shape)
                    h = jnp.where(keep, h / (1.0 - rate), 0.0)
            kernel, bias = params[-1]
            return h @ kernel + bias

        def loss_fn(params, xb, yb, keys):
            logits = forward(params, xb, keys)
            # Categorical crossentropy of softmax(logits) against one-hot yb.
            loss = -jnp.mean(jnp.sum(yb * jax.nn.log_softmax(logits), axis=-1))
            return loss, logits

        def make_step(size):
            def step(state, x_all, y_all, perm):
                params, opt_state, key, position, loss_sum, correct = state
                indices = jax.lax.dynamic_slice_in_dim(perm, position, size)
                xb = jnp.take(x_all, indices, axis=0, mode="clip")
                yb = jnp.take(y_all, indices, axis=0, mode="clip")
                if rate:  # one split: the next key and one key per dropout layer
                    key, *dropout_keys = jax.random.split(key, 1 + hidden)
                else:  # no dropout, no random numbers (a split costs ~20-30 us here)
                    dropout_keys = [None] * hidden
                (loss, logits), grads = jax.value_and_grad(loss_fn, has_aux=True)(
                    params, xb, yb, dropout_keys
                )
                updates, opt_state = optimizer.update(grads, opt_state, params)
                params = optax.apply_updates(params, updates)
                hits = jnp.sum(jnp.argmax(logits, -1) == jnp.argmax(yb, -1))
                return (
                    params, opt_state, key, position + size,
                    loss_sum + loss * size, correct + hits,
                )

            return step

        def make_chunk(size, count):
            """``count`` steps per dispatch: a ``lax.scan`` over the step."""
            step = make_step(size)
            if count == 1:
                return jax.jit(step, donate_argnums=0)

            def chunk(state, x_all, y_all, perm):
                body = lambda carry, _: (step(carry, x_all, y_all, perm), None)  # noqa: E731
                return jax.lax.scan(body, state, None, length=count)[0]

            return jax.jit(chunk, donate_argnums=0)

        self.make_step = lambda size: make_chunk(size, 1)
        self.make_chunk = make_chunk

    @staticmethod
    def epoch_start(perm_rng, n):
        """The epoch's permutation and zeroed (position, loss sum, hit count).

        The permutation is drawn on the host and sent once per epoch: on this CPU
        ``jax.random.permutation`` of 60,000 indices takes ~26 ms (a sort), numpy
        under 1 ms.
        """
        import jax
        import jax.numpy as jnp

        perm = jax.device_put(perm_rng.permutation(n).astype(np.int32))
        # Three distinct buffers: they are donated, so none may appear twice.
        return perm, jnp.zeros((), jnp.int32), jnp.zeros((), jnp.float32), jnp.zeros((), jnp.int32)


def run_jax(workload, x, y, import_started, steps_per_call=1):
    """The hand-written baseline: see the module docstring and ``HandWritten``.

    With ``steps_per_call`` > 1 (the ``jax-scan`` contestant), each dispatch runs a
    ``lax.scan`` over the largest divisor of the number of full batches that is at
    most ``steps_per_call`` (13 for 468 batches and 16), so that no single-step
    program needs compiling besides the one for the last, smaller batch.
    """
    import jax

    n, batch = workload["samples"], workload["batch_size"]
    loop = HandWritten(workload)
    full_steps, remainder = divmod(n, batch)
    steps_per_call = max(d for d in range(1, steps_per_call + 1) if full_steps % d == 0)
    chunks, single_steps = divmod(full_steps, steps_per_call)
    import_build_s = time.perf_counter() - import_started
    clock = _harness.EpochClock()
    clock.start()  # "fit" starts: data and weights to the device, compile, train.
    x_dev, y_dev = jax.device_put(x), jax.device_put(y)
    params = jax.device_put(loop.host_params)
    opt_state = loop.optimizer.init(params)
    key = jax.random.key(0)
    perm_rng = np.random.default_rng(2)
    chunk = loop.make_chunk(batch, steps_per_call) if steps_per_call > 1 else None
    step = loop.make_step(batch)  # traced and compiled on first use only
    last_step = loop.make_step(remainder) if remainder else None
    logs = {"loss": [], "accuracy": []}
    for _ in range(workload["epochs"]):
        perm, position, loss_sum, correct = loop.epoch_start(perm_rng, n)
        state = (params, opt_state, key, position, loss_sum, correct)
        for _ in range(chunks if chunk else 0):
            state = chunk(state, x_dev, y_dev, perm)
        for _ in range(single_steps if chunk else full_steps):
            state = step(state, x_dev, y_dev, perm)
        if last_step is not None:
            state = last_step(state, x_dev, y_dev, perm)
        params, opt_state, key, _, loss_sum, correct = state
        loss_sum, correct = jax.device_get((loss_sum, correct))  # waits for the epoch
        logs["loss"].append(float(loss_sum) / n)
        logs["accuracy"].append(float(correct) / n)
        clock.epoch_end(params)
    clock.stop(params)
    return clock, import_build_s, logs, jax


SCAN_STEPS = 16  # at most this many steps per dispatch for the jax-scan contestant


def run_jax_scan(workload, x, y, import_started):
    return run_jax(workload, x, y, import_started, steps_per_call=SCAN_STEPS)


RUNNERS = {"lamella": run_lamella, "lamella-progbar": run_lamella_progbar, "keras": run_keras,
           "jax": run_jax, "jax-scan": run_jax_scan}


def worker(contestant, workload_name, epochs):
    """The child process: train one contestant on one workload, emit the timings."""
    workload = dict(WORKLOADS[workload_name], epochs=epochs)
    x, y = make_data(workload)
    import_started = time.perf_counter()
    clock, import_build_s, logs, jax = RUNNERS[contestant](workload, x, y, import_started)
    epochs_s = clock.epoch_seconds()
    _harness.emit({
        "contestant": contestant,
        "workload": workload_name,
        "epochs": epochs,
        "import_build_s": import_build_s,
        "epoch_s": epochs_s,
        "epoch_load": clock.epoch_load(),
        "fit_total_s": clock.total_seconds(),
        "untimed_tail_s": clock.total_seconds() - sum(epochs_s),
        "epoch_end_sync_wait_s": clock.sync_waits,
        "logs": logs,
        "jax_backend": jax.default_backend(),
        "jax_devices": [str(d) for d in jax.devices()],
    })


# -- the parent: run, summarize, report -------------------------------------------------


def child_env(contestant, cache_dir):
    """The child's environment changes: jax on CPU for everyone, no jax-level
    persistent cache, and lamella's own compile cache in ``cache_dir``."""
    return {
        "KERAS_BACKEND": "jax",
        "JAX_PLATFORMS": "cpu",
        "PYTHONDONTWRITEBYTECODE": "1",
        "JAX_COMPILATION_CACHE_DIR": None,
        "LAMELLA_COMPILE_CACHE": None,
        "LAMELLA_COMPILE_CACHE_DIR": cache_dir if contestant.startswith("lamella") else None,
        "LAMELLA_PROGBAR_FORCE_TTY": "1" if contestant == "lamella-progbar" else None,
    }


def run_all(workload_names, contestants, rounds, epochs_override, warm_cache, quiet_wait, log):
    """Every (workload, round, contestant) run, each in a fresh process."""
    runs = []
    for workload_name in workload_names:
        epochs = epochs_override or WORKLOADS[workload_name]["epochs"]
        samples = WORKLOADS[workload_name]["samples"]
        for round_index in range(rounds):
            # Rotate the order each round so no contestant always runs first.
            shift = round_index % len(contestants)
            order = list(contestants[shift:]) + list(contestants[:shift])
            for contestant in order:
                cache_dir = _harness.fresh_cache_dir()
                plan = [(contestant, epochs)]
                if contestant == "lamella" and warm_cache:
                    plan.append(("lamella-warm", 1))  # same cache folder, now filled
                for name, run_epochs in plan:
                    load_before = (
                        _harness.wait_for_quiet(quiet_wait, log=log) if quiet_wait else None
                    )
                    started = time.perf_counter()
                    result = _harness.run_worker(
                        os.path.abspath(__file__),
                        ["--worker", "lamella" if name == "lamella-warm" else name,
                         "--workload", workload_name,
                         "--epochs", str(run_epochs)],
                        env=child_env(name, cache_dir),
                    )
                    result.update(contestant=name, round=round_index, load_before=load_before,
                                  process_wall_s=time.perf_counter() - started)
                    runs.append(result)
                    log(_run_line(result, rounds, samples))
    return runs


def _run_line(result, rounds, samples):
    s = _harness.summarize(result["epoch_s"], samples, result["epoch_load"])
    steady = (
        f"steady {s['samples_per_s']:9,.0f} samples/s (spread {100 * s['spread']:4.1f}%, "
        f"others' cores {s['other_cores']:.2f})" if "samples_per_s" in s else "first epoch only"
    )
    return (
        f"  {result['workload']:9s} round {result['round'] + 1}/{rounds} "
        f"{result['contestant']:12s} first epoch {s['first_epoch_s']:6.2f} s, {steady}; "
        f"epoch-end sync wait {max(result['epoch_end_sync_wait_s']) * 1e3:.2f} ms, "
        f"untimed tail {result['untimed_tail_s'] * 1e3:.1f} ms; "
        f"process {result['process_wall_s']:.1f} s"
    )


def aggregate(runs):
    """Per (workload, contestant): median first epoch, pooled steady epochs."""
    groups = {}
    for run in runs:
        groups.setdefault((run["workload"], run["contestant"]), []).append(run)
    summary = {}
    for (workload_name, contestant), group in groups.items():
        samples = WORKLOADS[workload_name]["samples"]
        steps = -(-samples // WORKLOADS[workload_name]["batch_size"])
        firsts = [run["epoch_s"][0] for run in group]
        steady = [t for run in group for t in run["epoch_s"][1:]]
        steady_load = [load for run in group for load in run["epoch_load"][1:]]
        entry = _harness.summarize(
            [statistics.median(firsts), *steady], samples, [None, *steady_load]
        )
        entry.update(
            runs=len(group),
            first_epoch_s_all=firsts,
            import_build_s=statistics.median(run["import_build_s"] for run in group),
            max_untimed_tail_s=max(run["untimed_tail_s"] for run in group),
            max_epoch_end_sync_wait_s=max(max(run["epoch_end_sync_wait_s"]) for run in group),
            final_loss=statistics.median(run["logs"]["loss"][-1] for run in group),
            final_accuracy=statistics.median(run["logs"]["accuracy"][-1] for run in group),
        )
        if "median_epoch_s" in entry:
            entry["ms_per_step"] = 1e3 * entry["median_epoch_s"] / steps
        summary.setdefault(workload_name, {})[contestant] = entry
    return summary


RATIO_PAIRS = [
    ("lamella", "jax"), ("lamella", "keras"), ("keras", "jax"), ("lamella-warm", "jax"),
    ("lamella", "jax-scan"), ("jax-scan", "jax"),
]


MIN_QUIET_EPOCHS = 2  # fewer quiet epochs than this: no quiet-epoch ratio


def ratios(entries):
    """``a/b`` ratios: steady throughput over all steady epochs and over the quiet
    ones only (>1: a faster), and first-epoch time (<1: a faster)."""

    def quotient(ea, eb, key, enough=lambda e: True):
        if key in ea and key in eb and enough(ea) and enough(eb):
            return ea[key] / eb[key]
        return None

    quiet_enough = lambda e: e.get("quiet_epochs", 0) >= MIN_QUIET_EPOCHS  # noqa: E731
    out = {}
    for a, b in RATIO_PAIRS:
        if a in entries and b in entries:
            ea, eb = entries[a], entries[b]
            out[f"{a}/{b}"] = {
                "steady_throughput": quotient(ea, eb, "samples_per_s"),
                "quiet_steady_throughput": quotient(ea, eb, "quiet_samples_per_s", quiet_enough),
                "first_epoch_time": quotient(ea, eb, "first_epoch_s"),
            }
    return out


def report(summary):
    """The results table and the ratio table, as text."""
    dash = "-"
    rows = []
    for workload_name, entries in summary.items():
        for contestant, e in entries.items():
            has_steady = "samples_per_s" in e
            rows.append([
                workload_name, contestant,
                f"{e['first_epoch_s']:.2f}",
                f"{e['samples_per_s']:,.0f}" if has_steady else dash,
                f"{e['samples_per_s_min']:,.0f}..{e['samples_per_s_max']:,.0f}" if has_steady else dash,
                f"{100 * e['spread']:.1f}%" if has_steady else dash,
                f"{e['ms_per_step']:.3f}" if has_steady else dash,
                f"{e['runs']}x{e['steady_epochs'] // e['runs']}" if has_steady else f"{e['runs']}x0",
                f"{e['other_cores']:.2f}" if has_steady else dash,
                (f"{e['quiet_samples_per_s']:,.0f} ({e['quiet_epochs']})"
                 if "quiet_samples_per_s" in e else dash),
            ])
    table = _harness.format_table(
        ["workload", "contestant", "first epoch s", "steady samples/s", "min..max samples/s",
         "spread", "ms/step", "runs x epochs", "others' cores", "quiet epochs' samples/s (n)"],
        rows,
    )
    ratio_rows = []
    show = lambda value: dash if value is None else f"{value:.3f}"  # noqa: E731
    for workload_name, entries in summary.items():
        for pair, r in ratios(entries).items():
            ratio_rows.append([
                workload_name, pair, show(r["steady_throughput"]),
                show(r["quiet_steady_throughput"]), show(r["first_epoch_time"]),
            ])
    ratio_table = _harness.format_table(
        ["workload", "a/b", "steady throughput (>1: a faster)",
         "quiet epochs' throughput", "first epoch time (<1: a faster)"],
        ratio_rows,
    )
    return f"{table}\n\n{ratio_table}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workloads", nargs="+", choices=list(WORKLOADS), default=list(WORKLOADS))
    parser.add_argument("--contestants", nargs="+", choices=CONTESTANTS + EXTRA_CONTESTANTS,
                        default=list(CONTESTANTS),
                        help="default: %(default)s (jax-scan: the hand-written loop with "
                             f"a lax.scan over up to {SCAN_STEPS} steps per dispatch)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="processes per contestant and workload (steady epochs are pooled)")
    parser.add_argument("--epochs", type=int, default=None, help="override every workload's E")
    parser.add_argument("--no-warm-cache", dest="warm_cache", action="store_false",
                        help="skip the lamella-warm runs")
    parser.add_argument("--quiet-wait", type=float, default=5.0,
                        help="before each run, wait up to this many seconds for other "
                             "processes to leave the CPUs idle (0: don't check)")
    parser.add_argument("--quick", action="store_true", help="1 round, 3 epochs: a smoke test")
    parser.add_argument("--output", default=RESULTS, help="where to write the JSON results")
    # Child mode (used by the parent only).
    parser.add_argument("--worker", choices=list(RUNNERS), help=argparse.SUPPRESS)
    parser.add_argument("--workload", choices=list(WORKLOADS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        worker(args.worker, args.workload, args.epochs or WORKLOADS[args.workload]["epochs"])
        return 0
    if args.quick:
        args.rounds, args.epochs = 1, args.epochs or 3

    import json

    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    _harness.compile_bytecode(log)
    machine = _harness.machine_info()
    machine["source"] = _harness.source_state(HERE)
    log(f"MLP benchmark on {machine['cpu_count']} CPUs ({machine['cpu_model']}), "
        f"jax {machine['versions']['jax']}, keras {machine['versions']['keras']}, "
        f"optax {machine['versions']['optax']}, lamella-core {machine['versions']['lamella-core']}")
    started = time.perf_counter()
    runs = run_all(args.workloads, args.contestants, args.rounds, args.epochs, args.warm_cache,
                   args.quiet_wait, log)
    summary = aggregate(runs)
    print(report(summary), flush=True)
    result = {
        "benchmark": "mlp",
        "machine": machine,
        "settings": {
            "rounds": args.rounds, "epochs_override": args.epochs,
            "warm_cache": args.warm_cache, "quiet_wait_s": args.quiet_wait,
            "workloads": {name: WORKLOADS[name] for name in args.workloads},
            "command": " ".join([os.path.relpath(sys.executable), *sys.argv]),
        },
        "summary": summary,
        "ratios": {name: ratios(entries) for name, entries in summary.items()},
        "runs": runs,
        "wall_s": time.perf_counter() - started,
    }
    _harness.write_results(args.output, result)
    log(f"wrote {args.output} ({result['wall_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
