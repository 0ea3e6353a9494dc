"""The lamella-resnet HTTP API under concurrent load: batched vs one image per pass.

    .venv/bin/python benchmarks/bench_serve.py            # ~1-2 minutes on 2 cores
    .venv/bin/python benchmarks/bench_serve.py --quick    # smoke test
    .venv/bin/python benchmarks/bench_serve.py --weights imagenet   # ResNet50 instead

The server runs in its own subprocess (``PredictionServer`` on 127.0.0.1, the
embedded demo model unless ``--weights``/``--model``), so the clients' threads do not
share its interpreter lock. For each server setting (``max_batch`` 32, and 1: every
request its own forward pass) and each number of concurrent clients, the parent
sends ``--requests`` POSTs of generated 64x64 PNG shapes (decoded and resized by the
server as any upload) over fresh connections and reports latency percentiles as the
clients see them, images per second over the whole burst, and the forward passes the
server ran (from ``/api/health``). Every response must be a 200 with the right label
for the demo model; the run fails otherwise.

Results go to stdout as a table and to ``benchmarks/results/serve.json``.
"""

import argparse
import http.client
import io
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def serve_worker(args):
    """Child: serve until stdin closes; the first stdout line is the port."""
    from lamella_resnet.cli import load_classifier
    from lamella_resnet.server import PredictionServer

    classifier = load_classifier(args)
    classifier.warmup(args.max_batch)
    server = PredictionServer(classifier, port=0, max_batch=args.max_batch,
                              max_delay=args.max_delay_ms / 1000).start()
    print(f"PORT {server.port}", flush=True)
    try:
        sys.stdin.read()  # the parent closes our stdin when it is done (or dies)
    finally:
        server.shutdown()
    return 0


def _post(port, data):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        started = time.perf_counter()
        connection.request("POST", "/api/predict?top=1", body=data, headers={"Content-Type": "image/png"})
        response = connection.getresponse()
        body = json.loads(response.read())
        return response.status, body, time.perf_counter() - started
    finally:
        connection.close()


def _health(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/api/health")
        return json.loads(connection.getresponse().read())
    finally:
        connection.close()


def _percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def run_setting(max_batch, clients_list, requests, payloads, model_args, check_labels):
    command = [sys.executable, __file__, "--worker", "--max-batch", str(max_batch), *model_args]
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        line = child.stdout.readline()
        while line and not line.startswith("PORT "):
            line = child.stdout.readline()
        if not line:
            raise RuntimeError(f"the server worker exited with {child.wait()}")
        port = int(line.split()[1])
        rows = []
        for clients in clients_list:
            before = _health(port)["batching"]
            with ThreadPoolExecutor(clients) as pool:
                started = time.perf_counter()
                results = list(pool.map(lambda i: (payloads[i % len(payloads)][0],
                                                   *_post(port, payloads[i % len(payloads)][1])),
                                        range(requests)))
                elapsed = time.perf_counter() - started
            after = _health(port)["batching"]
            errors = [r for r in results if r[1] != 200]
            wrong = [r for r in results if r[1] == 200 and check_labels
                     and r[2]["predictions"][0]["label"] != r[0]]
            if errors or wrong:
                raise RuntimeError(f"{len(errors)} errors and {len(wrong)} wrong labels, e.g. "
                                   f"{(errors or wrong)[0][1:3]}")
            latencies = [r[3] * 1000 for r in results]
            passes = after["batches"] - before["batches"]
            rows.append({"max_batch": max_batch, "clients": clients, "requests": requests,
                         "p50_ms": _percentile(latencies, 50), "p99_ms": _percentile(latencies, 99),
                         "images_per_s": requests / elapsed, "forward_passes": passes,
                         "mean_batch": requests / passes, "largest_batch": after["largest_batch"]})
            print(f"  max_batch {max_batch:2d}, {clients:3d} clients: {rows[-1]['images_per_s']:.1f} img/s",
                  file=sys.stderr, flush=True)
        return rows
    finally:
        child.stdin.close()
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--max-batch", type=int, default=32)
    parser.add_argument("--max-delay-ms", type=float, default=5.0)
    parser.add_argument("--weights")
    parser.add_argument("--model")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32, 200])
    parser.add_argument("--quick", action="store_true", help="100 requests, 1 and 32 clients")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "serve.json")
    args = parser.parse_args(argv)
    if args.worker:
        return serve_worker(args)
    if args.quick:
        args.requests, args.clients = 100, [1, 32]

    import numpy as np

    from lamella_resnet.shapes import SHAPES, draw_shape

    rng = np.random.default_rng(7)
    payloads = []
    for i in range(48):
        buffer = io.BytesIO()
        draw_shape(SHAPES[i % len(SHAPES)], rng).save(buffer, format="PNG")
        payloads.append((SHAPES[i % len(SHAPES)], buffer.getvalue()))
    model_args = [*(["--weights", args.weights] if args.weights else []),
                  *(["--model", args.model] if args.model else [])]
    check = not model_args
    _harness.compile_bytecode(lambda m: print(m, file=sys.stderr))
    load = _harness.wait_for_quiet(30, log=lambda m: print(m, file=sys.stderr))
    rows = []
    for max_batch in (args.max_batch, 1):
        rows += run_setting(max_batch, args.clients, args.requests, payloads, model_args, check)
    headers = ["max_batch", "clients", "p50 ms", "p99 ms", "images/s", "passes", "mean batch"]
    table = [[r["max_batch"], r["clients"], f"{r['p50_ms']:.1f}", f"{r['p99_ms']:.1f}",
              f"{r['images_per_s']:.1f}", r["forward_passes"], f"{r['mean_batch']:.1f}"] for r in rows]
    print(_harness.format_table(headers, table))
    record = {"benchmark": "serve", "model": args.weights or args.model or "demo",
              "machine": _harness.machine_info(), "source": _harness.source_state(ROOT),
              "other_load_at_start": load, "settings": vars(args) | {"output": str(args.output)},
              "results": rows}
    _harness.write_results(args.output, record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
