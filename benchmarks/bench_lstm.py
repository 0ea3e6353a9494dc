"""LSTM training speed: lamella vs Keras 3 (jax backend) vs hand-written jax loops.

Run from the repository root::

    .venv/bin/python benchmarks/bench_lstm.py            # full run, ~5-8 minutes
    .venv/bin/python benchmarks/bench_lstm.py --quick    # a smoke test

Workload ``imdb_lstm``: the text classifier of the Keras examples,
``Embedding(10000, 128) -> LSTM(128) -> Dense(1, sigmoid)``, on random token ids
(sequence length 100, vocabulary 10,000) with random 0/1 labels, 2,560 samples,
batch 64 (40 steps per epoch), ``compile(optimizer='adam',
loss='binary_crossentropy', metrics=['accuracy'])``, ``fit(..., verbose=0,
shuffle=True)``, 5 epochs per run.

Contestants, each in its own subprocess per run (no shared jit caches or threads):

- ``lamella``: ``lamella.Sequential`` with ``lamella.layers``; its persistent compile
  cache points at a fresh empty folder (a cold start like everyone else's).
- ``keras``: the same code with Keras 3, ``KERAS_BACKEND=jax``.
- ``jax``: a hand-written loop (``HandWritten``): data on the device once, one jitted
  step with donated state (params, optax adam state, position, loss/accuracy sums)
  that gathers its batch by the epoch's permutation on the device, the embedding
  lookup, the LSTM as one ``lax.scan`` over the 100 timesteps (the four gates fused
  in one matrix product per step, the input projection of all timesteps done
  before the scan), a sigmoid dense layer, binary crossentropy and optax adam with
  Keras's defaults; a host loop over steps; logs read at epoch end.
- ``jax-scan``: the same step, with the whole epoch's steps in one ``lax.scan`` per
  dispatch (DESIGN.md §5 lists it as the best hand-written loop for the LSTM).

Measured: first epoch (data to the device, compile, train) and steady-state
throughput (samples / median epoch time over epochs 2..E of every round), with the
CPU cores other processes used meanwhile ("others' cores") and the throughput of
the quiet epochs (others under 0.3 cores). Before each run the parent waits (up to
``--quiet-wait`` seconds) for the machine to go idle. Results: a table on stdout,
progress on stderr, ``benchmarks/results/lstm.json`` in full.
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
RESULTS = os.path.join(HERE, "results", "lstm.json")

WORKLOAD = {
    "vocabulary": 10_000, "embedding": 128, "units": 128, "length": 100,
    "samples": 2_560, "batch_size": 64, "epochs": 5,
}
CONTESTANTS = ("lamella", "keras", "jax", "jax-scan")
# Project every timestep's input before the time loop (one large matrix product)
# or inside it; the faster of the two on this machine is the hand-written default.
PROJECT_FIRST = os.environ.get("BENCH_LSTM_PROJECT_FIRST", "0") == "1"
LEARNING_RATE = 1e-3  # Keras' Adam default
ADAM_EPSILON = 1e-7


def make_data(workload, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, workload["vocabulary"], (workload["samples"], workload["length"])).astype(np.int32)
    y = rng.integers(0, 2, (workload["samples"], 1)).astype(np.float32)
    return x, y


# -- contestants (child process) ----------------------------------------------------------


def _fit_keras_style(api, callback_base, workload, x, y, import_started):
    import jax

    model = api.Sequential([
        api.Input((workload["length"],), dtype="int32"),
        api.layers.Embedding(workload["vocabulary"], workload["embedding"]),
        api.layers.LSTM(workload["units"]),
        api.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    clock = _harness.EpochClock()

    class EpochTimer(callback_base):
        def on_epoch_end(self, epoch, logs=None):
            clock.epoch_end([v.value for v in self.model.trainable_variables])

    import_build_s = time.perf_counter() - import_started
    clock.start()
    history = model.fit(x, y, batch_size=workload["batch_size"], epochs=workload["epochs"],
                        verbose=0, shuffle=True, callbacks=[EpochTimer()])
    clock.stop([v.value for v in model.trainable_variables])
    logs = {k: [float(v) for v in vs] for k, vs in history.history.items()}
    return clock, import_build_s, logs, jax


def run_lamella(workload, x, y, import_started):
    import lamella

    return _fit_keras_style(lamella, lamella.callbacks.Callback, workload, x, y, import_started)


def run_keras(workload, x, y, import_started):
    import keras

    assert keras.backend.backend() == "jax", keras.backend.backend()
    return _fit_keras_style(keras, keras.callbacks.Callback, workload, x, y, import_started)


class HandWritten:
    """The hand-written jax + optax LSTM classifier's step (see the module docstring)."""

    def __init__(self, workload):
        import jax
        import jax.numpy as jnp
        import optax

        rng = np.random.default_rng(1)
        v, e, u = workload["vocabulary"], workload["embedding"], workload["units"]

        def glorot(fan_in, fan_out):
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            return rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32)

        recurrent, _ = np.linalg.qr(rng.normal(size=(4 * u, u)))
        bias = np.zeros(4 * u, np.float32)
        bias[u:2 * u] = 1.0  # unit forget bias, as Keras initializes it
        self.host_params = {
            "embeddings": rng.uniform(-0.05, 0.05, (v, e)).astype(np.float32),
            "kernel": glorot(e, 4 * u), "recurrent": recurrent.T.astype(np.float32),
            "bias": bias, "dense": glorot(u, 1), "dense_bias": np.zeros(1, np.float32),
        }
        optimizer = self.optimizer = optax.adam(LEARNING_RATE, eps=ADAM_EPSILON)

        def forward(params, ids):
            embedded = jnp.take(params["embeddings"], ids, axis=0)  # (B, T, E)
            batch = ids.shape[0]
            if PROJECT_FIRST:
                xs = jnp.einsum("bte,eg->tbg", embedded, params["kernel"]) + params["bias"]
            else:
                xs = jnp.swapaxes(embedded, 0, 1)

            def step(carry, x_t):
                h, c = carry
                z_x = x_t if PROJECT_FIRST else x_t @ params["kernel"] + params["bias"]
                z = z_x + h @ params["recurrent"]
                i, f, g, o = jnp.split(z, 4, axis=-1)
                c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
                h = jax.nn.sigmoid(o) * jnp.tanh(c)
                return (h, c), None

            zeros = jnp.zeros((batch, u), jnp.float32)
            (h, _), _ = jax.lax.scan(step, (zeros, zeros), xs)
            return jax.nn.sigmoid(h @ params["dense"] + params["dense_bias"])

        def loss_fn(params, ids, labels):
            p = jnp.clip(forward(params, ids), 1e-7, 1 - 1e-7)
            loss = -jnp.mean(labels * jnp.log(p) + (1 - labels) * jnp.log(1 - p))
            return loss, p

        def make_step(size):
            def step(state, x_all, y_all, perm):
                params, opt_state, position, loss_sum, correct = state
                indices = jax.lax.dynamic_slice_in_dim(perm, position, size)
                ids = jnp.take(x_all, indices, axis=0, mode="clip")
                labels = jnp.take(y_all, indices, axis=0, mode="clip")
                (loss, p), grads = jax.value_and_grad(loss_fn, has_aux=True)(params, ids, labels)
                updates, opt_state = optimizer.update(grads, opt_state, params)
                params = optax.apply_updates(params, updates)
                hits = jnp.sum((p > 0.5) == (labels > 0.5))
                return params, opt_state, position + size, loss_sum + loss * size, correct + hits

            return step

        def make_chunk(size, count):
            step = make_step(size)
            if count == 1:
                return jax.jit(step, donate_argnums=0)

            def chunk(state, x_all, y_all, perm):
                body = lambda carry, _: (step(carry, x_all, y_all, perm), None)  # noqa: E731
                return jax.lax.scan(body, state, None, length=count)[0]

            return jax.jit(chunk, donate_argnums=0)

        self.make_chunk = make_chunk


def run_jax(workload, x, y, import_started, whole_epoch=False):
    import jax
    import jax.numpy as jnp

    n, batch = workload["samples"], workload["batch_size"]
    steps = n // batch
    loop = HandWritten(workload)
    import_build_s = time.perf_counter() - import_started
    clock = _harness.EpochClock()
    clock.start()
    x_dev, y_dev = jax.device_put(x), jax.device_put(y)
    params = jax.device_put(loop.host_params)
    opt_state = loop.optimizer.init(params)
    function = loop.make_chunk(batch, steps if whole_epoch else 1)
    calls = 1 if whole_epoch else steps
    perm_rng = np.random.default_rng(2)
    logs = {"loss": [], "accuracy": []}
    for _ in range(workload["epochs"]):
        perm = jax.device_put(perm_rng.permutation(n).astype(np.int32))
        state = (params, opt_state, jnp.zeros((), jnp.int32), jnp.zeros((), jnp.float32),
                 jnp.zeros((), jnp.int32))
        for _ in range(calls):
            state = function(state, x_dev, y_dev, perm)
        params, opt_state, _, loss_sum, correct = state
        loss_sum, correct = jax.device_get((loss_sum, correct))
        logs["loss"].append(float(loss_sum) / n)
        logs["accuracy"].append(float(correct) / n)
        clock.epoch_end(params)
    clock.stop(params)
    return clock, import_build_s, logs, jax


def run_jax_scan(workload, x, y, import_started):
    return run_jax(workload, x, y, import_started, whole_epoch=True)


RUNNERS = {"lamella": run_lamella, "keras": run_keras, "jax": run_jax, "jax-scan": run_jax_scan}


def worker(contestant, epochs, samples):
    workload = dict(WORKLOAD, epochs=epochs, samples=samples)
    x, y = make_data(workload)
    import_started = time.perf_counter()
    clock, import_build_s, logs, jax = RUNNERS[contestant](workload, x, y, import_started)
    epochs_s = clock.epoch_seconds()
    _harness.emit({
        "contestant": contestant, "epochs": epochs, "samples": samples,
        "import_build_s": import_build_s, "epoch_s": epochs_s,
        "epoch_load": clock.epoch_load(), "fit_total_s": clock.total_seconds(),
        "epoch_end_sync_wait_s": clock.sync_waits, "logs": logs,
        "jax_backend": jax.default_backend(),
    })


# -- the parent --------------------------------------------------------------------------


def child_env(contestant, cache_dir):
    return {
        "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu", "PYTHONDONTWRITEBYTECODE": "1",
        "JAX_COMPILATION_CACHE_DIR": None, "LAMELLA_COMPILE_CACHE": None,
        "LAMELLA_COMPILE_CACHE_DIR": cache_dir if contestant == "lamella" else None,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contestants", nargs="+", choices=CONTESTANTS, default=list(CONTESTANTS))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=WORKLOAD["epochs"])
    parser.add_argument("--samples", type=int, default=WORKLOAD["samples"])
    parser.add_argument("--quick", action="store_true", help="1 round, 3 epochs, 1,280 samples")
    parser.add_argument("--quiet-wait", type=float, default=60.0,
                        help="seconds to wait for other processes to go idle before each run")
    parser.add_argument("--output", default=RESULTS)
    parser.add_argument("--worker", choices=CONTESTANTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.epochs, args.samples = 1, 3, 1_280
    if args.worker:
        worker(args.worker, args.epochs, args.samples)
        return 0
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    _harness.compile_bytecode(log)
    machine = _harness.machine_info()
    runs = []
    for round_index in range(args.rounds):
        shift = round_index % len(args.contestants)
        for contestant in args.contestants[shift:] + args.contestants[:shift]:
            load_before = _harness.wait_for_quiet(args.quiet_wait, log=log) if args.quiet_wait else None
            started = time.perf_counter()
            result = _harness.run_worker(
                os.path.abspath(__file__),
                ["--worker", contestant, "--epochs", str(args.epochs), "--samples", str(args.samples)],
                env=child_env(contestant, _harness.fresh_cache_dir()),
            )
            result.update(round=round_index, load_before=load_before,
                          process_wall_s=time.perf_counter() - started)
            runs.append(result)
            s = _harness.summarize(result["epoch_s"], args.samples, result["epoch_load"])
            log(f"  round {round_index + 1}/{args.rounds} {contestant:9s} first epoch "
                f"{s['first_epoch_s']:6.2f} s, steady {s.get('samples_per_s', 0):8,.0f} samples/s "
                f"(others' cores {s.get('other_cores', 0):.2f}), final loss "
                f"{result['logs']['loss'][-1]:.4f}")
    summary = {}
    for contestant in args.contestants:
        group = [r for r in runs if r["contestant"] == contestant]
        firsts = [r["epoch_s"][0] for r in group]
        steady = [t for r in group for t in r["epoch_s"][1:]]
        loads = [load for r in group for load in r["epoch_load"][1:]]
        entry = _harness.summarize([statistics.median(firsts), *steady], args.samples, [None, *loads])
        entry["ms_per_step"] = 1e3 * entry["median_epoch_s"] / (args.samples // WORKLOAD["batch_size"])
        entry["runs"] = len(group)
        summary[contestant] = entry
    rows = [[
        "imdb_lstm", name, f"{e['first_epoch_s']:.2f}", f"{e['samples_per_s']:,.0f}",
        f"{e['samples_per_s_min']:,.0f}..{e['samples_per_s_max']:,.0f}", f"{100 * e['spread']:.1f}%",
        f"{e['ms_per_step']:.1f}", f"{e['other_cores']:.2f}",
        f"{e['quiet_samples_per_s']:,.0f} ({e['quiet_epochs']})" if "quiet_samples_per_s" in e else "-",
    ] for name, e in summary.items()]
    print(_harness.format_table(
        ["workload", "contestant", "first epoch s", "steady samples/s", "min..max", "spread",
         "ms/step", "others' cores", "quiet epochs' samples/s (n)"], rows))
    ratios = {}
    for a, b in [("lamella", "jax"), ("lamella", "jax-scan"), ("lamella", "keras"), ("keras", "jax")]:
        if a in summary and b in summary:
            ratios[f"{a}/{b}"] = {
                "steady_throughput": summary[a]["samples_per_s"] / summary[b]["samples_per_s"],
                "first_epoch_time": summary[a]["first_epoch_s"] / summary[b]["first_epoch_s"],
            }
    print()
    print(_harness.format_table(
        ["a/b", "steady throughput (>1: a faster)", "first epoch time (<1: a faster)"],
        [[k, f"{v['steady_throughput']:.3f}", f"{v['first_epoch_time']:.3f}"] for k, v in ratios.items()]))
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    document = {
        "machine": machine, "source": _harness.source_state(HERE),
        "settings": {**WORKLOAD, "epochs": args.epochs, "samples": args.samples,
                     "rounds": args.rounds, "contestants": args.contestants},
        "summary": summary, "ratios": ratios, "runs": runs,
    }
    _harness.write_results(args.output, document)
    return 0


if __name__ == "__main__":
    sys.exit(main())
