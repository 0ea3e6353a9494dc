"""``lamella-resnet serve``: the local web page and the JSON API.

- ``GET /``: the page (camera frames via ``getUserMedia``, or dropped / chosen images;
  live top-5 with probabilities and latency).
- ``POST /api/predict[?top=K]``: the image as the raw body (any image content type)
  or as a ``multipart/form-data`` file field; answers ``{"predictions": [{"label",
  "score", ...}], "model", "latency_ms", "batch_size"}``.
- ``GET /api/health``: ``{"status": "ok", "model", "labels", "input_size", "demo",
  "batching": {...}}``.

Request threads decode and resize; one batching worker runs the model on whatever
requests arrived together. Bad input is a 4xx JSON ``{"error": ...}``; the server keeps
serving.
"""

import email.parser
import email.policy
import json
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlsplit

import numpy as np

from lamella_resnet.batcher import BatchingQueue
from lamella_resnet.image_input import DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, ImageInputError, decode_image


# The most bytes of a refused upload read before answering; beyond it the connection
# is simply closed after the answer.
_DISCARD_LIMIT = 64 * 1024 * 1024


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The listen backlog: the default of 5 refuses connections under a burst of
    # concurrent clients before a thread can accept them.
    request_queue_size = 512
    allow_reuse_address = True


class PredictionServer:
    """An HTTP server classifying posted images, with concurrent requests batched.

    Args:
        classifier: an ``ImageClassifier``.
        host: address to bind (``127.0.0.1``: only this machine can connect).
        port: TCP port (0 picks a free one; see ``port`` after construction).
        max_batch: the most images in one forward pass.
        max_delay: seconds the batcher waits for more requests after the first.
        max_bytes: the largest accepted request body.
        max_pixels: the largest accepted image (width x height), checked before decoding.
        top: default number of predictions returned.
        verbose: log each request to stderr.

    Example:

    >>> server = PredictionServer(ImageClassifier.demo(), port=0)  # doctest: +SKIP
    >>> server.start(); print(server.url)  # doctest: +SKIP
    http://127.0.0.1:40719/
    """

    def __init__(self, classifier, host="127.0.0.1", port=8000, max_batch=32, max_delay=0.005,
                 max_bytes=DEFAULT_MAX_BYTES, max_pixels=DEFAULT_MAX_PIXELS, top=5, verbose=False):
        self.classifier = classifier
        self.max_bytes = int(max_bytes)
        self.max_pixels = int(max_pixels)
        self.top = int(top)
        self.verbose = verbose
        self.batcher = BatchingQueue(self._predict_batch, max_batch=max_batch, max_delay=max_delay)
        self._page = (resources.files("lamella_resnet") / "static" / "index.html").read_bytes()
        handler = type("Handler", (_Handler,), {"app": self})
        self._httpd = _Server((host, port), handler)
        self.host, self.port = self._httpd.server_address[:2]
        self._thread = None

    @property
    def url(self):
        return f"http://{self.host}:{self.port}/"

    def _predict_batch(self, prepared):
        probs = self.classifier.predict(np.stack(prepared))
        return [(row, len(prepared)) for row in probs]

    def health(self):
        c = self.classifier
        return {"status": "ok", "model": c.name, "demo": c.is_demo,
                "labels": len(c.labels) if c.labels is not None else c.model.output_shape[-1],
                "input_size": list(c.input_size), "batching": self.batcher.stats()}

    def predict_bytes(self, data, top=None):
        """Decodes, queues and classifies one image; returns the response dict."""
        started = time.perf_counter()
        image = decode_image(data, self.max_bytes, self.max_pixels)
        probs, batch_size = self.batcher.submit(self.classifier.prepare(image)).result()
        predictions = self.classifier.top_k(probs[None], top or self.top)[0]
        return {"predictions": predictions, "model": self.classifier.name,
                "latency_ms": round((time.perf_counter() - started) * 1000, 2), "batch_size": batch_size}

    def start(self):
        """Serves in a background thread; returns self."""
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="lamella-resnet-http",
                                        daemon=True)
        self._thread.start()
        return self

    def serve_forever(self):
        """Serves in this thread until ``shutdown`` (or Ctrl-C in the caller)."""
        self._httpd.serve_forever()

    def shutdown(self):
        """Stops serving and frees the port and the batching worker."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
        self._httpd.server_close()
        self.batcher.close()


def _extract_image(content_type, body):
    """The image bytes of a raw or multipart body."""
    if not content_type.lower().startswith("multipart/form-data"):
        return body
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise ImageInputError("The multipart body could not be parsed (check its boundary).", 400)
    parts = [part for part in message.iter_parts() if part.get_filename() or part.get_param(
        "name", header="content-disposition") in ("image", "file")]
    if not parts:
        raise ImageInputError("The multipart body has no file field: send the image as a field "
                              "named 'image' (or any file field).", 400)
    return parts[0].get_payload(decode=True) or b""


class _Handler(BaseHTTPRequestHandler):
    app = None  # set on the subclass the server makes
    server_version = "lamella-resnet"
    # Seconds a connection may stay silent: a client that promises a body and never
    # sends it must not hold a thread forever.
    timeout = 30

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        if self.app.verbose:
            super().log_message(format, *args)

    def _send(self, status, body, content_type="application/json"):
        if not isinstance(body, bytes):
            body = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status, message):
        self._send(status, {"error": message, "status": int(status)})

    def _discard(self, length):
        """Reads (and drops) a refused body, up to a cap: closing a socket with unread
        data resets the connection, and the client would lose the 413 answer."""
        remaining = min(length, _DISCARD_LIMIT)
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 1 << 16))
            if not chunk:
                break
            remaining -= len(chunk)

    def do_GET(self):  # noqa: N802 - http.server's naming
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, self.app._page, "text/html; charset=utf-8")
        elif path == "/api/health":
            self._send(HTTPStatus.OK, self.app.health())
        elif path == "/api/predict":
            self._error(HTTPStatus.METHOD_NOT_ALLOWED, "POST an image to /api/predict.")
        else:
            self._error(HTTPStatus.NOT_FOUND, f"No such page: {path}. Try / or /api/health.")

    def do_POST(self):  # noqa: N802
        url = urlsplit(self.path)
        if url.path != "/api/predict":
            self._error(HTTPStatus.NOT_FOUND, f"No such endpoint: {url.path}. POST images to /api/predict.")
            return
        try:
            top = int(parse_qs(url.query).get("top", [self.app.top])[0])
            if top < 1:
                raise ValueError
        except ValueError:
            self._error(HTTPStatus.BAD_REQUEST, "top must be a positive integer.")
            return
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._error(HTTPStatus.LENGTH_REQUIRED, "Send a Content-Length header with the image.")
            return
        length = int(length)
        # Multipart framing adds a little; anything beyond is refused unread.
        if length > self.app.max_bytes + 64 * 1024:
            self.close_connection = True
            self._discard(length)
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                        f"The upload is {length} bytes; the limit is {self.app.max_bytes} bytes.")
            return
        body = self.rfile.read(length)
        if len(body) < length:
            self._error(HTTPStatus.BAD_REQUEST, f"The body ended after {len(body)} of {length} bytes.")
            return
        try:
            data = _extract_image(self.headers.get("Content-Type", ""), body)
            self._send(HTTPStatus.OK, self.app.predict_bytes(data, top))
        except ImageInputError as error:
            self._error(error.status, str(error))
        except Exception as error:  # noqa: BLE001 - a failed prediction must not kill the server
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"Prediction failed: {type(error).__name__}: {error}")
