"""Feeding ``fit`` from a generator or a PyDataset vs from arrays in memory (lamella).

Run from the repository root::

    .venv/bin/python benchmarks/bench_input_pipeline.py            # ~3-5 minutes on 2 cores
    .venv/bin/python benchmarks/bench_input_pipeline.py --quick    # a smoke test
    .venv/bin/python benchmarks/bench_input_pipeline.py --workloads convnet   # when Conv2D exists

The same model trains with three feeds, each in its own subprocess (no shared jit
caches), the order rotated every round:

- ``memory``: ``fit(x, y, batch_size=128, shuffle=True)``: the data goes to the
  device once, batches are gathered on the device (the engine's fast path);
- ``generator``: ``fit(generator, steps_per_epoch=...)`` with a Python generator that
  shuffles on the host and yields numpy batches ``x[idx], y[idx]`` (the host copies
  every batch, and lamella's prefetching thread stacks and transfers them while the
  device trains);
- ``pydataset``: a ``PyDataset`` whose ``__getitem__`` slices a permutation drawn
  per epoch, ``fit(dataset, shuffle=True)``.

Workloads (60,000 random float32 samples, one-hot labels of 10 classes, batch 128):

- ``seed_mlp``: 784-512(relu)-Dropout(0.2)-512(relu)-Dropout(0.2)-10(softmax).
- ``convnet``: the Keras MNIST convnet (Conv2D 32 - MaxPool - Conv2D 64 - MaxPool -
  Flatten - Dropout 0.5 - Dense 10) on 28x28x1, when lamella-layers has Conv2D.

Target (issue 8): the generator and PyDataset feeds within 20% of the in-memory
feed's steady-state samples/s. Epochs are timed by the harness's ``EpochClock``
(each ends once the device is idle); the machine may be shared, so every run waits
for quiet first and records the other processes' load.
"""

import argparse
import os
import statistics
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results", "input_pipeline.json")
SAMPLES, BATCH, CLASSES = 60_000, 128, 10
WORKLOADS = {"seed_mlp": {"shape": (784,), "epochs": 4}, "convnet": {"shape": (28, 28, 1), "epochs": 3}}
FEEDS = ("memory", "generator", "pydataset")


def make_data(shape, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((SAMPLES, *shape), dtype=np.float32)
    y = np.eye(CLASSES, dtype=np.float32)[rng.integers(0, CLASSES, SAMPLES)]
    return x, y


def build(lamella, workload):
    layers = lamella.layers
    if workload == "seed_mlp":
        stack = [lamella.Input((784,)), layers.Dense(512, activation="relu"), layers.Dropout(0.2),
                 layers.Dense(512, activation="relu"), layers.Dropout(0.2)]
    else:
        stack = [lamella.Input((28, 28, 1)), layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
                 layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2), layers.Flatten(),
                 layers.Dropout(0.5)]
    model = lamella.Sequential([*stack, layers.Dense(CLASSES, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def feed(lamella, name, x, y):
    """``(fit positional data, fit keyword arguments)`` for one feed."""
    steps = -(-len(x) // BATCH)
    if name == "memory":
        return (x, y), {"batch_size": BATCH, "shuffle": True}
    if name == "generator":
        def batches():
            rng = np.random.default_rng(1)
            while True:
                order = rng.permutation(len(x))
                for i in range(steps):
                    index = order[i * BATCH:(i + 1) * BATCH]
                    yield x[index], y[index]

        return (batches(),), {"steps_per_epoch": steps}

    class Batches(lamella.utils.PyDataset):
        def __init__(self):
            super().__init__()
            self.order = np.random.default_rng(1).permutation(len(x))

        def __len__(self):
            return steps

        def __getitem__(self, i):
            index = self.order[i * BATCH:(i + 1) * BATCH]
            return x[index], y[index]

        def on_epoch_end(self):
            self.order = np.random.default_rng(len(self.order)).permutation(len(x))

    return (Batches(),), {"shuffle": True}


def worker(workload, name, epochs):
    x, y = make_data(WORKLOADS[workload]["shape"])
    import jax

    import lamella

    model = build(lamella, workload)
    clock = _harness.EpochClock()

    class EpochTimer(lamella.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            clock.epoch_end([v.value for v in self.model.trainable_variables])

    args, kwargs = feed(lamella, name, x, y)
    clock.start()
    history = model.fit(*args, epochs=epochs, verbose=0, callbacks=[EpochTimer()], **kwargs)
    clock.stop([v.value for v in model.trainable_variables])
    _harness.emit({
        "workload": workload, "feed": name, "epochs": epochs, "epoch_s": clock.epoch_seconds(),
        "epoch_load": clock.epoch_load(), "loss": [float(v) for v in history.history["loss"]],
        "jax_backend": jax.default_backend(),
    })


def _ratio(value, base):
    return f"{value / base:.3f}" if value and base else "-"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", default=["seed_mlp"], choices=list(WORKLOADS))
    parser.add_argument("--feeds", nargs="+", default=list(FEEDS), choices=FEEDS)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="1 round, 2 epochs")
    parser.add_argument("--quiet-wait", type=float, default=60.0, help="seconds to wait for idle CPUs per run")
    parser.add_argument("--output", default=RESULTS)
    parser.add_argument("--worker", nargs=3, metavar=("WORKLOAD", "FEED", "EPOCHS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        workload, name, epochs = args.worker
        return worker(workload, name, int(epochs))
    rounds, epochs_override = (1, 2) if args.quick else (args.rounds, args.epochs)
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    _harness.compile_bytecode(log)
    env = {"KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu", "PYTHONDONTWRITEBYTECODE": "1"}
    runs = []
    for workload in args.workloads:
        epochs = epochs_override or WORKLOADS[workload]["epochs"]
        for round_index in range(rounds):
            shift = round_index % len(args.feeds)
            for name in args.feeds[shift:] + args.feeds[:shift]:
                load = _harness.wait_for_quiet(args.quiet_wait, log=log) if args.quiet_wait else None
                cache = _harness.fresh_cache_dir()
                result = _harness.run_worker(os.path.abspath(__file__), ["--worker", workload, name, str(epochs)],
                                             env={**env, "LAMELLA_COMPILE_CACHE_DIR": cache})
                result.update(round=round_index, load_before=load)
                runs.append(result)
                s = _harness.summarize(result["epoch_s"], SAMPLES, result["epoch_load"])
                log(f"  {workload} round {round_index + 1}/{rounds} {name:9s} first epoch {s['first_epoch_s']:.2f} s, "
                    f"steady {s.get('samples_per_s', float('nan')):,.0f} samples/s, others' cores "
                    f"{s.get('other_cores', float('nan')):.2f}")
    summary = {}
    for workload in args.workloads:
        for name in args.feeds:
            group = [r for r in runs if r["workload"] == workload and r["feed"] == name]
            steady = [t for r in group for t in r["epoch_s"][1:]]
            loads = [e["other_cores"] + e["steal_cores"] for r in group for e in r["epoch_load"][1:]]
            quiet = [t for t, load in zip(steady, loads) if load < _harness.QUIET_CORES]
            summary[f"{workload}/{name}"] = {
                "samples_per_s": SAMPLES / statistics.median(steady) if steady else None,
                "quiet_samples_per_s": SAMPLES / statistics.median(quiet) if quiet else None,
                "quiet_epochs": len(quiet),
                "first_epoch_s": statistics.median(r["epoch_s"][0] for r in group),
                "other_cores": statistics.median(loads) if loads else None,
            }
    rows = []
    for key, s in summary.items():
        workload, name = key.split("/")
        base = summary.get(f"{workload}/memory", {})
        ratio = _ratio(s["samples_per_s"], base.get("samples_per_s"))
        quiet_ratio = _ratio(s["quiet_samples_per_s"], base.get("quiet_samples_per_s"))
        quiet = f"{s['quiet_samples_per_s']:,.0f} ({s['quiet_epochs']})" if s["quiet_samples_per_s"] else "-"
        rows.append([workload, name, f"{s['samples_per_s']:,.0f}", ratio, quiet, quiet_ratio,
                     f"{s['first_epoch_s']:.2f}", f"{s['other_cores']:.2f}"])
    # Other processes' load moves these numbers by 2x on a shared 2-core machine:
    # compare the quiet epochs (others under QUIET_CORES) when there are some.
    print(_harness.format_table(["workload", "feed", "steady samples/s", "vs memory", "quiet samples/s (n)",
                                 "quiet vs memory", "first epoch s", "others' cores"], rows))
    _harness.write_results(args.output, {"machine": _harness.machine_info(), "source": _harness.source_state(HERE),
                                         "settings": vars(args), "summary": summary, "runs": runs})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
