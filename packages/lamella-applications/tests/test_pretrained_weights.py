"""``weights='imagenet'``: fetched from the (overridable) Keras address once, hash
checked, cached under ``$LAMELLA_HOME/models``; tested against a server on 127.0.0.1."""

import hashlib
import http.server
import os
import threading

import numpy as np
import pytest

from lamella import applications
from lamella.applications import pretrained_weights

SHAPE = (32, 32, 3)


class _Server:
    """Serves ``files`` (name -> bytes) under ``/resnet/`` and counts requests."""

    def __init__(self, files):
        self.files = files
        self.requests = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                outer.requests.append(self.path)
                name = self.path.rsplit("/", 1)[-1]
                if not self.path.startswith("/resnet/") or name not in outer.files:
                    self.send_error(404)
                    return
                body = outer.files[name]
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def notop_file(tmp_path):
    """A ResNet50 no-top weight file with recognizable weights, and its md5."""
    source = applications.ResNet50(weights=None, include_top=False, input_shape=SHAPE)
    rng = np.random.default_rng(3)
    for variable in source.weights:
        variable.assign(rng.normal(0.0, 0.05, variable.shape).astype(np.float32))
    path = tmp_path / "source.h5"
    source.save_weights(str(path))
    data = path.read_bytes()
    return source, data, hashlib.md5(data).hexdigest()


@pytest.fixture
def home(tmp_path, monkeypatch):
    folder = tmp_path / "home"
    monkeypatch.setenv("LAMELLA_HOME", str(folder))
    return folder


def _serve(monkeypatch, server, md5):
    monkeypatch.setenv(pretrained_weights.BASE_URL_ENV, server.url)
    monkeypatch.setitem(pretrained_weights.WEIGHTS_HASHES, "resnet50", ("0" * 32, md5))


FILE_NAME = "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"


def test_imagenet_weights_are_downloaded_checked_cached_and_loaded(notop_file, home, monkeypatch):
    source, data, md5 = notop_file
    with _Server({FILE_NAME: data}) as server:
        _serve(monkeypatch, server, md5)
        model = applications.ResNet50(weights="imagenet", include_top=False, input_shape=SHAPE)
        assert server.requests == [f"/resnet/{FILE_NAME}"]
        cached = home / "models" / FILE_NAME
        assert cached.read_bytes() == data
        for mine, theirs in zip(model.weights, source.weights):
            np.testing.assert_array_equal(np.asarray(mine.value), np.asarray(theirs.value))

        # The second model reads the cache: no request at all.
        again = applications.ResNet50(weights="imagenet", include_top=False, input_shape=SHAPE)
        assert len(server.requests) == 1
        np.testing.assert_array_equal(
            np.asarray(again.weights[0].value), np.asarray(source.weights[0].value)
        )


def test_a_download_with_the_wrong_hash_is_rejected_and_not_cached(notop_file, home, monkeypatch):
    _, data, _ = notop_file
    tampered = data[:-1] + bytes([data[-1] ^ 1])
    with _Server({FILE_NAME: tampered}) as server:
        _serve(monkeypatch, server, hashlib.md5(data).hexdigest())
        with pytest.raises(ValueError, match="corrupted file .* does not match"):
            applications.ResNet50(weights="imagenet", include_top=False, input_shape=SHAPE)
        assert len(server.requests) == 1
    folder = home / "models"
    assert not folder.exists() or os.listdir(folder) == []


def test_a_missing_file_names_the_address(home, monkeypatch):
    with _Server({}) as server:
        monkeypatch.setenv(pretrained_weights.BASE_URL_ENV, server.url.rstrip("/"))
        with pytest.raises(OSError, match=f"{server.url}resnet/resnet50v2_weights_tf_dim_ordering_tf_kernels.h5.*404"):
            applications.ResNet50V2(weights="imagenet")


def test_the_default_address_and_names_are_keras(monkeypatch):
    monkeypatch.delenv(pretrained_weights.BASE_URL_ENV, raising=False)
    assert pretrained_weights.base_url() + pretrained_weights.WEIGHTS_FOLDER == (
        "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
    )
    assert pretrained_weights.weights_file_name("resnet152v2", include_top=False) == (
        "resnet152v2_weights_tf_dim_ordering_tf_kernels_notop.h5"
    )
    assert sorted(pretrained_weights.WEIGHTS_HASHES) == [
        "resnet101", "resnet101v2", "resnet152", "resnet152v2", "resnet50", "resnet50v2",
    ]


def test_a_file_that_does_not_fit_leaves_the_error_and_no_model(tmp_path):
    small = applications.ResNet50(weights=None, include_top=True, input_shape=SHAPE, classes=3)
    path = tmp_path / "three_classes.h5"
    small.save_weights(str(path))
    with pytest.raises(ValueError, match="predictions"):
        applications.ResNet50(weights=str(path), include_top=True, input_shape=SHAPE, classes=4)
