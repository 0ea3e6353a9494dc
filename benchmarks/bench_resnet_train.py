"""ResNet50 training steps: lamella vs Keras 3 (jax backend), in one process.

Run from the repository root::

    .venv/bin/python benchmarks/bench_resnet_train.py            # ~3 minutes on 2 cores
    .venv/bin/python benchmarks/bench_resnet_train.py --quick    # 2 blocks of 2 steps

Workload: ``ResNet50(weights=None)`` compiled with ``optimizer="sgd"`` and
``loss="sparse_categorical_crossentropy"``, ``train_on_batch`` on ``--batch``
224x224x3 float32 images with random labels of the 1000 classes (the speed does not
depend on the values). Both models live in one process and run their steps in
alternating blocks (``--blocks`` of ``--per-block`` steps, who goes first
alternating): separate processes on these shared virtual CPUs see the machine at
different speeds, neighbouring blocks in one process share its state. lamella is
imported first, so its host-memory settings hold for Keras's steps too.

Reported per contestant: the median step, images/s, and GFLOP/s counting a step as
three times the forward pass's 7.7 GFLOP per image (the forward product, the
gradient with respect to the activations and the one with respect to the weights)
as a fraction of the float32 matmul rate measured after each block (the best of
three 2048x2048 products, as in ``bench_resnet.py``); then the ratio of the medians
and the median ratio of neighbouring blocks. Both models' first losses are
recorded, a check that each step computes a real loss (finite, and with random
weights a little above ln(1000) = 6.9 for both).

The table goes to stdout, progress to stderr, everything to
``benchmarks/results/resnet_train.json``.
"""

import argparse
import math
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402
from bench_resnet import CONTESTANTS, IMAGE, _call_seconds, _flops_per_image, _framework, _matmul_roof  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results", "resnet_train.json")


def worker(cache_dir, batch, blocks, per_block):
    constructors = {name: _framework(name, cache_dir) for name in CONTESTANTS}
    rng = np.random.default_rng(3)
    x = rng.normal(size=(batch, *IMAGE)).astype(np.float32)
    y = rng.integers(0, 1000, size=(batch,))
    steps, first_loss, flops = {}, {}, {}
    for name, constructor in constructors.items():
        model = constructor(weights=None)
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        flops[name] = _flops_per_image(model)
        first_loss[name] = float(np.asarray(model.train_on_batch(x, y)))
        model.train_on_batch(x, y)
        steps[name] = (lambda m: lambda: m.train_on_batch(x, y))(model)
    roof = _matmul_roof()
    calls = {name: [] for name in CONTESTANTS}
    roofs = []
    for block in range(blocks):
        for name in CONTESTANTS[::(1 if block % 2 == 0 else -1)]:
            calls[name].append(_call_seconds(steps[name], per_block))
        roofs.append(roof(3))
    if len(set(flops.values())) != 1:
        raise RuntimeError(f"the two ResNet50s count different arithmetic per image: {flops}")
    _harness.emit({"step_blocks_s": calls, "roof_gflops": roofs, "first_loss": first_loss,
                   "flops_per_image": flops["lamella"]})


def summarize(run, batch):
    blocks = run["step_blocks_s"]
    roof = statistics.median(run["roof_gflops"])
    summary = {}
    for name in CONTESTANTS:
        step = statistics.median(t for block in blocks[name] for t in block)
        gflops = 3 * run["flops_per_image"] * batch / step / 1e9
        summary[name] = {"step_ms": step * 1e3, "images_per_s": batch / step, "gflops": gflops,
                         "roof_fraction": gflops / roof, "first_loss": run["first_loss"][name]}
    paired = [statistics.median(lam) / statistics.median(ker)
              for lam, ker in zip(blocks["lamella"], blocks["keras"], strict=True)]
    summary["ratios"] = {
        "step_vs_keras": summary["lamella"]["step_ms"] / summary["keras"]["step_ms"],
        "step_vs_keras_paired": statistics.median(paired), "paired_range": [min(paired), max(paired)],
    }
    summary["roof_gflops_median"] = roof
    summary["roof_gflops_range"] = [min(run["roof_gflops"]), max(run["roof_gflops"])]
    return summary


def report(summary, batch):
    low, high = summary["roof_gflops_range"]
    headers = ["contestant", f"batch-{batch} step ms", "images/s", "GFLOP/s (3x forward)", "of roof", "first loss"]
    rows = [[name, f"{s['step_ms']:.0f}", f"{s['images_per_s']:.2f}", f"{s['gflops']:.1f}",
             f"{s['roof_fraction']:.2f}", f"{s['first_loss']:.2f}"]
            for name, s in ((name, summary[name]) for name in CONTESTANTS)]
    ratios = summary["ratios"]
    plow, phigh = ratios["paired_range"]
    return "\n".join([
        _harness.format_table(headers, rows),
        f"roof {summary['roof_gflops_median']:.0f} GFLOP/s ({low:.0f}-{high:.0f})",
        f"step_vs_keras: {ratios['step_vs_keras']:.2f}, of neighbouring blocks "
        f"{ratios['step_vs_keras_paired']:.2f} ({plow:.2f}-{phigh:.2f})",
    ])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=int, default=8, help="images per step")
    parser.add_argument("--blocks", type=int, default=6, help="alternating blocks of steps")
    parser.add_argument("--per-block", type=int, default=3, help="steps per block")
    parser.add_argument("--quick", action="store_true", help="2 blocks of 2 steps")
    parser.add_argument("--quiet-wait", type=float, default=30.0,
                        help="first wait up to this many seconds for idle CPUs")
    parser.add_argument("--output", default=RESULTS)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for option in ("batch", "blocks", "per_block"):
        if getattr(args, option) < 1:
            parser.error(f"--{option.replace('_', '-')} must be a positive integer; received {getattr(args, option)}")
    if args.worker:
        worker(args.cache, args.batch, args.blocks, args.per_block)
        return 0
    if args.quick:
        args.blocks, args.per_block, args.quiet_wait = 2, 2, 5.0

    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    _harness.compile_bytecode(log)
    machine = _harness.machine_info()
    machine["source"] = _harness.source_state(HERE)
    log(f"ResNet50 training benchmark on {machine['cpu_count']} CPUs ({machine['cpu_model']}), "
        f"jax {machine['versions']['jax']}, keras {machine['versions']['keras']}")
    started = time.perf_counter()
    _harness.wait_for_quiet(args.quiet_wait, log=log)
    log(f"  both in one process: batch {args.batch}, {args.blocks} alternating blocks of {args.per_block} steps")
    run = _harness.run_worker(os.path.abspath(__file__), [
        "--worker", "--cache", _harness.fresh_cache_dir("bench-resnet-train-"), "--batch", str(args.batch),
        "--blocks", str(args.blocks), "--per-block", str(args.per_block)])
    summary = summarize(run, args.batch)
    for name in CONTESTANTS:
        if not math.isfinite(summary[name]["first_loss"]):
            raise SystemExit(f"{name}'s first loss is {summary[name]['first_loss']}: the step is broken")
    print(report(summary, args.batch), flush=True)
    result = {
        "benchmark": "resnet50_training", "machine": machine,
        "settings": {"batch": args.batch, "blocks": args.blocks, "per_block": args.per_block, "image": IMAGE,
                     "quiet_wait_s": args.quiet_wait,
                     "command": " ".join([os.path.relpath(sys.executable), *sys.argv])},
        "summary": summary, "run": run, "wall_s": time.perf_counter() - started,
    }
    _harness.write_results(args.output, result)
    log(f"wrote {args.output} ({result['wall_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
