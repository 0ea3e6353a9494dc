import http.client
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image

from lamella_resnet.server import PredictionServer


@pytest.fixture(scope="module")
def server(demo_classifier):
    demo_classifier.warmup(16)
    server = PredictionServer(demo_classifier, port=0, max_batch=16, max_delay=0.01,
                              max_bytes=200_000, max_pixels=1_000_000).start()
    yield server
    server.shutdown()


def request(server, method, path, body=None, headers=None, timeout=60):
    connection = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        kind = response.getheader("Content-Type", "")
        return response.status, (json.loads(data) if kind.startswith("application/json") else data)
    finally:
        connection.close()


def test_health_describes_the_model(server):
    status, body = request(server, "GET", "/api/health")
    assert status == 200
    assert body["status"] == "ok" and body["demo"] is True
    assert body["labels"] == 6 and body["input_size"] == [64, 64]


def test_the_page_is_served(server):
    status, body = request(server, "GET", "/")
    assert status == 200 and b"/api/predict" in body and b"getUserMedia" in body


def test_predict_returns_top_k_json_for_raw_image_bytes(server, shape_images, png_bytes):
    shape, image = shape_images[2]
    status, body = request(server, "POST", "/api/predict?top=3", png_bytes(image),
                           {"Content-Type": "image/png"})
    assert status == 200
    assert [p["label"] for p in body["predictions"]][0] == shape
    assert len(body["predictions"]) == 3
    scores = [p["score"] for p in body["predictions"]]
    assert scores == sorted(scores, reverse=True) and 0 < sum(scores) <= 1.0 + 1e-5
    assert body["latency_ms"] > 0 and body["batch_size"] >= 1


def test_predict_accepts_a_multipart_upload(server, shape_images, png_bytes):
    shape, image = shape_images[9]
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"s.png\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + png_bytes(image) + f"\r\n--{boundary}--\r\n".encode()
    status, result = request(server, "POST", "/api/predict", body,
                             {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 200 and result["predictions"][0]["label"] == shape
    assert len(result["predictions"]) == 5


def _bad_inputs(shape_images, png_bytes, bomb_png):
    good = png_bytes(shape_images[0][1])
    noisy = png_bytes(Image.fromarray(
        np.random.default_rng(3).integers(0, 256, (120, 120, 3), np.uint8)))
    return {
        "malformed": (b"GIF89a but not really" * 3, 400, "not an image"),
        "truncated": (noisy[: len(noisy) // 2], 400, "truncated or corrupt"),
        "oversized": (good + b"\0" * 300_000, 413, "limit is 200000 bytes"),
        "bomb": (bomb_png(40_000, 40_000), 413, "decompression bomb"),
        "too many pixels": (png_bytes(Image.new("RGB", (1200, 1000))),
                            413, "limit is 1000000 pixels"),
        "empty": (b"", 400, "no image"),
    }


@pytest.mark.parametrize("case", ["malformed", "truncated", "oversized", "bomb", "too many pixels", "empty"])
def test_bad_images_get_a_4xx_with_a_clear_message_and_the_server_keeps_serving(
        server, shape_images, png_bytes, bomb_png, case):
    data, expected_status, message = _bad_inputs(shape_images, png_bytes, bomb_png)[case]
    status, body = request(server, "POST", "/api/predict", data, {"Content-Type": "image/png"})
    assert status == expected_status, body
    assert message in body["error"] and body["status"] == expected_status
    shape, image = shape_images[4]
    status, body = request(server, "POST", "/api/predict", png_bytes(image))
    assert status == 200 and body["predictions"][0]["label"] == shape


def test_wrong_paths_methods_and_arguments_are_4xx(server):
    assert request(server, "GET", "/nothing")[0] == 404
    assert request(server, "GET", "/api/predict")[0] == 405
    assert request(server, "POST", "/api/other", b"x")[0] == 404
    status, body = request(server, "POST", "/api/predict?top=zero", b"x")
    assert status == 400 and "top must be a positive integer" in body["error"]


def test_200_concurrent_requests_all_succeed_in_shared_batches(server, shape_images, png_bytes, capsys,
                                                               record_property):
    payloads = [(shape, png_bytes(image)) for shape, image in shape_images]
    before = server.batcher.stats()

    # All 200 clients connect at once: a barrier releases them together.
    barrier = threading.Barrier(200, timeout=60)

    def one(i):
        shape, data = payloads[i % len(payloads)]
        barrier.wait()
        started = time.perf_counter()
        status, body = request(server, "POST", "/api/predict", data, {"Content-Type": "image/png"})
        return shape, status, body, time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=200) as pool:
        results = list(pool.map(one, range(200)))
    elapsed = time.perf_counter() - started
    assert [status for _, status, _, _ in results] == [200] * 200
    correct = sum(body["predictions"][0]["label"] == shape for shape, _, body, _ in results)
    assert correct == 200
    latencies = np.array([seconds for *_, seconds in results]) * 1000
    after = server.batcher.stats()
    batches = after["batches"] - before["batches"]
    assert after["items"] - before["items"] == 200
    # Batching happened: fewer forward passes than requests, some with several images.
    assert batches < 200 and max(body["batch_size"] for _, _, body, _ in results) > 1
    report = (f"200 concurrent requests: p50 {np.percentile(latencies, 50):.1f} ms, "
              f"p99 {np.percentile(latencies, 99):.1f} ms, {200 / elapsed:.1f} images/s, "
              f"{batches} forward passes (mean batch {200 / batches:.1f})")
    record_property("serve_load", report)
    with capsys.disabled():  # shown in every run, not only on failure
        print(f"\n[lamella-resnet serve] {report}")
