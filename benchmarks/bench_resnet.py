"""ResNet50 inference: lamella vs Keras 3 (jax backend), both on jax CPU.

Run from the repository root::

    .venv/bin/python benchmarks/bench_resnet.py            # ~4-6 minutes on 2 cores
    .venv/bin/python benchmarks/bench_resnet.py --quick    # fewer repetitions

Workload: ``ResNet50(weights=None)`` (random weights: the speed does not depend on
their values, and no download is needed), 224x224x3 float32 images, called with
``predict_on_batch`` (the call a real-time application makes; Keras's compiles its
predict function the same way). Measured, each in a fresh subprocess per contestant:

- ``first prediction, cold``: from calling ``ResNet50(...)`` to holding the
  numpy result of the first batch-1 prediction, on an empty persistent compile
  cache (imports excluded, reported apart);
- ``first prediction, warm``: the same in a new process on the cache the cold run
  filled. lamella turns jax's persistent cache on by itself (``~/.cache/lamella/xla``,
  see ``lamella/backend/compile_cache.py``); Keras is given the same jax cache
  settings (folder, 0.1 s threshold) so both are measured with a warm cache;
- ``batch 1``: median latency over repeated calls after warm-up;
- ``batch 32``: median images/s over repeated calls after warm-up, as GFLOP/s and
  as a fraction of the machine's float32 matrix-product rate (``jnp.matmul`` of two
  2048x2048 float32 matrices in a jitted function): the "roof" an inference engine
  on this CPU can approach. The roof is measured in the same process, between the
  batch-32 calls (the best of three products after each call), because the speed of
  these shared virtual CPUs drifts by up to 2x from minute to minute: each call is
  divided by the roof measured next to it, and the fraction reported is the median.

The steady phase (batch 1 and batch 32) runs ``--rounds`` times per contestant, the
contestants alternating, and the medians pool every round's calls. Then one more
process builds both models and runs their batch-1 calls in alternating blocks
(``--interleaved-blocks`` of ``--per-block`` calls; who goes first alternates):
separate processes here see the machine at different speeds (one lamella round at
67 ms, the next at 84 ms, on 2026-12-03), while neighbouring blocks in one process
share its state. It reports both medians, their ratio and the median ratio of
neighbouring blocks.

ResNet50's arithmetic is counted from the model: 2 * (output pixels) * (kernel
size) * (input channels) * (output channels) per convolution, 2 * in * out for the
classifier (about 7.7 GFLOP per image; additions of biases, batch norm and pooling
are left out). Targets (issue 9): batch-32 throughput >= 0.7 of the roof, batch-1
latency <= 0.6x Keras's, first prediction <= 0.25x Keras's cold and under 1 s warm.

The table goes to stdout, progress to stderr, everything to
``benchmarks/results/resnet.json``.
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
RESULTS = os.path.join(HERE, "results", "resnet.json")
IMAGE = (224, 224, 3)
MATMUL_SIZE = 2048
CONTESTANTS = ("lamella", "keras")
MIN_COMPILE_SECONDS = 0.1  # lamella's threshold for the persistent cache, given to Keras too


# -- the child side ------------------------------------------------------------------------


def _framework(name, cache_dir):
    """Imports the contestant with its persistent compile cache in ``cache_dir``."""
    if name == "lamella":
        os.environ["LAMELLA_COMPILE_CACHE_DIR"] = cache_dir
        import lamella
        from lamella import applications

        lamella.backend  # noqa: B018 - loads the backend, which configures the cache
        return applications.ResNet50
    os.environ["KERAS_BACKEND"] = "jax"
    import jax
    import keras

    jax.config.update("jax_compilation_cache_dir", cache_dir)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", MIN_COMPILE_SECONDS)
    assert keras.backend.backend() == "jax"
    return keras.applications.ResNet50


def _flops_per_image(model):
    """Multiply-adds of the convolutions and the classifier, times 2."""
    total = 0
    for layer in model.layers:
        kernel = getattr(layer, "kernel", None)
        if kernel is None:
            continue
        shape = tuple(kernel.shape)
        out = tuple(layer.output.shape)
        pixels = int(np.prod(out[1:-1])) if len(out) > 2 else 1
        total += 2 * pixels * int(np.prod(shape))
    return total


def worker_first(name, cache_dir):
    started = time.perf_counter()
    constructor = _framework(name, cache_dir)
    imported = time.perf_counter()
    model = constructor(weights=None)
    built = time.perf_counter()
    x = np.random.default_rng(0).uniform(0, 255, (1, *IMAGE)).astype(np.float32)
    y = np.asarray(model.predict_on_batch(x))
    done = time.perf_counter()
    _harness.emit({"import_s": imported - started, "build_s": built - imported,
                   "first_predict_s": done - built, "first_prediction_s": done - imported,
                   "output_shape": list(y.shape)})


def _call_seconds(fn, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def _matmul_roof():
    """``measure(repeats) -> GFLOP/s``: the best of ``repeats`` jitted float32
    products of two MATMUL_SIZE x MATMUL_SIZE matrices."""
    import jax
    import jax.numpy as jnp

    rng = np.random.default_rng(2)
    a = jnp.asarray(rng.standard_normal((MATMUL_SIZE, MATMUL_SIZE), dtype=np.float32))
    b = jnp.asarray(rng.standard_normal((MATMUL_SIZE, MATMUL_SIZE), dtype=np.float32))
    product = jax.jit(jnp.matmul)
    product(a, b).block_until_ready()

    def measure(repeats):
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            product(a, b).block_until_ready()
            times.append(time.perf_counter() - t)
        return 2 * MATMUL_SIZE**3 / min(times) / 1e9

    return measure


def worker_steady(name, cache_dir, repeats1, repeats32):
    constructor = _framework(name, cache_dir)
    model = constructor(weights=None)
    flops = _flops_per_image(model)
    roof = _matmul_roof()
    rng = np.random.default_rng(1)
    x1 = rng.uniform(0, 255, (1, *IMAGE)).astype(np.float32)
    x32 = rng.uniform(0, 255, (32, *IMAGE)).astype(np.float32)
    for x in (x1, x1, x32, x32):  # compile both sizes and warm the thread pools
        np.asarray(model.predict_on_batch(x))
    load_before = _harness._system_cpu_seconds()
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    batch1 = _call_seconds(lambda: np.asarray(model.predict_on_batch(x1)), repeats1)
    calls, roofs = [], []
    for _ in range(repeats32):
        t = time.perf_counter()
        np.asarray(model.predict_on_batch(x32))
        calls.append(time.perf_counter() - t)
        roofs.append(roof(3))
    wall = time.perf_counter() - wall_before
    own = (time.process_time() - cpu_before) / wall
    load_after = _harness._system_cpu_seconds()
    system = (load_after[0] - load_before[0] + load_after[1] - load_before[1]) / wall
    fractions = [flops * 32 / seconds / 1e9 / gflops for seconds, gflops in zip(calls, roofs, strict=True)]
    _harness.emit({"batch1_calls_s": batch1, "batch32_calls_s": calls,
                   "roof_gflops": roofs, "roof_fractions": fractions, "flops_per_image": flops,
                   "own_cores": own, "other_cores": max(0.0, system - own)})


def worker_interleaved(cache_dir, blocks, per_block):
    """Both contestants in this one process, batch-1 calls in alternating blocks.

    lamella is imported first, as a lamella application would be: its host-memory
    settings (``lamella/backend/host_memory.py``) then hold for Keras's calls too,
    which can only help Keras. Everything else is per model (each framework
    compiles its own program with its own options)."""
    constructors = {name: _framework(name, cache_dir) for name in CONTESTANTS}
    x1 = np.random.default_rng(1).uniform(0, 255, (1, *IMAGE)).astype(np.float32)
    predictors = {}
    for name, constructor in constructors.items():
        predict = constructor(weights=None).predict_on_batch
        for _ in range(3):
            np.asarray(predict(x1))
        predictors[name] = predict
    calls = {name: [] for name in CONTESTANTS}
    for block in range(blocks):
        for name in CONTESTANTS[::(1 if block % 2 == 0 else -1)]:  # who goes first alternates
            calls[name].append(_call_seconds(lambda p=predictors[name]: np.asarray(p(x1)), per_block))
    _harness.emit({"batch1_blocks_s": calls})


# -- the parent side -----------------------------------------------------------------------


def run_interleaved(blocks, per_block, quiet_wait, log):
    _harness.wait_for_quiet(quiet_wait, log=log)
    log(f"  both in one process: batch 1, {blocks} alternating blocks of {per_block} calls each")
    return _harness.run_worker(os.path.abspath(__file__), [
        "--worker", "interleaved", "--cache", _harness.fresh_cache_dir("bench-resnet-both-"),
        "--blocks", str(blocks), "--per-block", str(per_block)])


def summarize_interleaved(run):
    """Medians of each contestant's calls, their ratio, and the median ratio of the
    two contestants' blocks that ran next to each other."""
    blocks = run["batch1_blocks_s"]
    medians = {name: statistics.median(t for block in blocks[name] for t in block) * 1e3 for name in CONTESTANTS}
    paired = [statistics.median(lam) / statistics.median(ker)
              for lam, ker in zip(blocks["lamella"], blocks["keras"], strict=True)]
    return {"batch1_ms": medians, "batch1_latency_vs_keras": medians["lamella"] / medians["keras"],
            "batch1_latency_vs_keras_paired": statistics.median(paired),
            "paired_range": [min(paired), max(paired)]}


def run_all(contestants, rounds, repeats1, repeats32, quiet_wait, log):
    script = os.path.abspath(__file__)
    results = {name: {"steady": []} for name in contestants}
    caches = {}
    for name in contestants:
        cache = caches[name] = _harness.fresh_cache_dir(f"bench-resnet-{name}-")
        for phase in ("cold", "warm"):
            _harness.wait_for_quiet(quiet_wait, log=log)
            log(f"  {name}: first prediction, {phase} cache")
            results[name][phase] = _harness.run_worker(script, ["--worker", "first", "--framework", name,
                                                                "--cache", cache])
    for round_index in range(rounds):
        for name in contestants:
            _harness.wait_for_quiet(quiet_wait, log=log)
            log(f"  {name}: batch 1 and batch 32 (round {round_index + 1}/{rounds})")
            results[name]["steady"].append(_harness.run_worker(script, [
                "--worker", "steady", "--framework", name, "--cache", caches[name],
                "--repeats1", str(repeats1), "--repeats32", str(repeats32)]))
    return results


def summarize(results):
    summary = {}
    for name in CONTESTANTS:
        if name not in results:
            continue
        r = results[name]
        runs = r["steady"]
        batch1 = [t for run in runs for t in run["batch1_calls_s"]]
        batch32 = [t for run in runs for t in run["batch32_calls_s"]]
        fractions = [f for run in runs for f in run["roof_fractions"]]
        roofs = [g for run in runs for g in run["roof_gflops"]]
        images_per_s = 32 / statistics.median(batch32)
        summary[name] = {
            "first_cold_s": r["cold"]["first_prediction_s"], "first_warm_s": r["warm"]["first_prediction_s"],
            "build_cold_s": r["cold"]["build_s"], "import_s": r["warm"]["import_s"],
            "batch1_ms": statistics.median(batch1) * 1e3, "batch32_images_per_s": images_per_s,
            "batch32_gflops": runs[0]["flops_per_image"] * images_per_s / 1e9,
            "roof_fraction": statistics.median(fractions),
            "roof_gflops_median": statistics.median(roofs), "roof_gflops_range": [min(roofs), max(roofs)],
            "other_cores": max(run["other_cores"] for run in runs),
            "own_cores": statistics.median(run["own_cores"] for run in runs),
        }
    if "lamella" in summary and "keras" in summary:
        lam, ker = summary["lamella"], summary["keras"]
        summary["ratios"] = {
            "batch1_latency_vs_keras": lam["batch1_ms"] / ker["batch1_ms"],
            "first_cold_vs_keras": lam["first_cold_s"] / ker["first_cold_s"],
            "first_warm_vs_keras": lam["first_warm_s"] / ker["first_warm_s"],
            "batch32_throughput_vs_keras": lam["batch32_images_per_s"] / ker["batch32_images_per_s"],
        }
    return summary


def report(summary):
    headers = ["contestant", "first pred. cold s", "warm s", "batch-1 ms", "batch-32 img/s",
               "GFLOP/s", "roof GFLOP/s", "of roof", "other cores"]
    rows = []
    for name in CONTESTANTS:
        if name in summary:
            s = summary[name]
            low, high = s["roof_gflops_range"]
            rows.append([name, f"{s['first_cold_s']:.2f}", f"{s['first_warm_s']:.2f}", f"{s['batch1_ms']:.0f}",
                         f"{s['batch32_images_per_s']:.2f}", f"{s['batch32_gflops']:.1f}",
                         f"{s['roof_gflops_median']:.0f} ({low:.0f}-{high:.0f})",
                         f"{s['roof_fraction']:.2f}", f"{s['other_cores']:.2f}"])
    lines = [_harness.format_table(headers, rows)]
    for key, value in summary.get("ratios", {}).items():
        lines.append(f"{key}: {value:.2f}")
    both = summary.get("interleaved")
    if both:
        low, high = both["paired_range"]
        lines.append(f"in one process, batch 1: lamella {both['batch1_ms']['lamella']:.0f} ms, "
                     f"keras {both['batch1_ms']['keras']:.0f} ms; ratio {both['batch1_latency_vs_keras']:.2f}, "
                     f"of neighbouring blocks {both['batch1_latency_vs_keras_paired']:.2f} ({low:.2f}-{high:.2f})")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contestants", nargs="+", choices=CONTESTANTS, default=list(CONTESTANTS))
    parser.add_argument("--rounds", type=int, default=2, help="steady phases per contestant")
    parser.add_argument("--repeats1", type=int, default=30)
    parser.add_argument("--repeats32", type=int, default=6)
    parser.add_argument("--interleaved-blocks", type=int, default=8,
                        help="then both in one process: this many alternating blocks of batch-1 calls (0: skip)")
    parser.add_argument("--per-block", type=int, default=10, help="batch-1 calls per block")
    parser.add_argument("--quick", action="store_true", help="1 round, 10 batch-1 and 3 batch-32 calls, 2 blocks of 5")
    parser.add_argument("--quiet-wait", type=float, default=30.0,
                        help="before each run, wait up to this many seconds for idle CPUs")
    parser.add_argument("--output", default=RESULTS)
    parser.add_argument("--worker", choices=("first", "steady", "interleaved"), help=argparse.SUPPRESS)
    parser.add_argument("--blocks", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--framework", choices=CONTESTANTS, help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "first":
        worker_first(args.framework, args.cache)
        return 0
    if args.worker == "steady":
        worker_steady(args.framework, args.cache, args.repeats1, args.repeats32)
        return 0
    if args.worker == "interleaved":
        worker_interleaved(args.cache, args.blocks, args.per_block)
        return 0
    if args.quick:
        args.rounds, args.repeats1, args.repeats32, args.quiet_wait = 1, 10, 3, 5.0
        args.interleaved_blocks, args.per_block = min(args.interleaved_blocks, 2), 5

    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    _harness.compile_bytecode(log)
    machine = _harness.machine_info()
    machine["source"] = _harness.source_state(HERE)
    log(f"ResNet50 inference benchmark on {machine['cpu_count']} CPUs ({machine['cpu_model']}), "
        f"jax {machine['versions']['jax']}, keras {machine['versions']['keras']}")
    started = time.perf_counter()
    results = run_all(args.contestants, args.rounds, args.repeats1, args.repeats32, args.quiet_wait, log)
    summary = summarize(results)
    both = set(args.contestants) == set(CONTESTANTS) and args.interleaved_blocks > 0
    if both:
        results["interleaved"] = run_interleaved(args.interleaved_blocks, args.per_block, args.quiet_wait, log)
        summary["interleaved"] = summarize_interleaved(results["interleaved"])
    print(report(summary), flush=True)
    result = {
        "benchmark": "resnet50_inference", "machine": machine,
        "settings": {"rounds": args.rounds, "repeats1": args.repeats1, "repeats32": args.repeats32, "image": IMAGE,
                     "interleaved_blocks": args.interleaved_blocks if both else 0, "per_block": args.per_block,
                     "matmul_size": MATMUL_SIZE, "quiet_wait_s": args.quiet_wait,
                     "command": " ".join([os.path.relpath(sys.executable), *sys.argv])},
        "summary": summary, "runs": results, "wall_s": time.perf_counter() - started,
    }
    _harness.write_results(args.output, result)
    log(f"wrote {args.output} ({result['wall_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
