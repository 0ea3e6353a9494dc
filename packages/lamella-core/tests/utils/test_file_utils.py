"""get_file against a small HTTP server on 127.0.0.1 started by the test."""

import hashlib
import http.server
import io
import os
import tarfile
import threading
import zipfile

import pytest

from lamella.utils import get_file

PAYLOAD = b"lamella test payload\n" * 100


def _tar_bytes():
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("data/hello.txt")
        content = b"hello from the archive"
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def _zip_bytes(name="inner/x.txt"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "zipped")
    return buffer.getvalue()


@pytest.fixture
def server():
    files = {"/payload.bin": PAYLOAD, "/data.tar.gz": _tar_bytes(), "/data.zip": _zip_bytes(),
             "/evil.zip": _zip_bytes("../escaped.txt")}
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            requests.append(self.path)
            body = files.get(self.path)
            if body is None:
                self.send_error(404, "Not Found")
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


def test_good_hash_downloads_once_then_serves_the_cache(server, tmp_path):
    url, requests = server
    sha256 = hashlib.sha256(PAYLOAD).hexdigest()
    path = get_file("payload.bin", origin=url + "/payload.bin", file_hash=sha256, cache_dir=tmp_path)
    assert path == os.path.join(tmp_path, "datasets", "payload.bin")
    assert open(path, "rb").read() == PAYLOAD
    again = get_file("payload.bin", origin=url + "/payload.bin", file_hash=sha256, cache_dir=tmp_path)
    assert again == path and requests == ["/payload.bin"]  # no second request
    md5 = get_file(origin=url + "/payload.bin", md5_hash=hashlib.md5(PAYLOAD).hexdigest(), cache_dir=tmp_path)
    assert md5 == path and requests == ["/payload.bin"]


def test_bad_hash_raises_and_leaves_nothing_in_the_cache(server, tmp_path):
    url, _ = server
    with pytest.raises(ValueError, match="Incomplete or corrupted file detected. The sha256 file hash"):
        get_file("payload.bin", origin=url + "/payload.bin", file_hash="0" * 64, cache_dir=tmp_path)
    assert os.listdir(tmp_path / "datasets") == []


def test_a_stale_cached_file_is_downloaded_again(server, tmp_path):
    url, requests = server
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "payload.bin").write_bytes(b"truncated")
    with pytest.warns(UserWarning, match="does not match the expected"):
        path = get_file("payload.bin", origin=url + "/payload.bin",
                        file_hash=hashlib.md5(PAYLOAD).hexdigest(), cache_dir=tmp_path)
    assert open(path, "rb").read() == PAYLOAD and len(requests) == 1


def test_archives_are_extracted(server, tmp_path):
    url, requests = server
    folder = get_file("data.tar.gz", origin=url + "/data.tar.gz", extract=True, cache_dir=tmp_path)
    assert folder == os.path.join(tmp_path, "datasets", "data_extracted")
    assert open(os.path.join(folder, "data", "hello.txt")).read() == "hello from the archive"
    assert get_file("data.tar.gz", origin=url + "/data.tar.gz", extract=True, cache_dir=tmp_path) == folder
    assert requests == ["/data.tar.gz"]
    zipped = get_file("bundle", origin=url + "/data.zip", extract=True, cache_dir=tmp_path, cache_subdir="z")
    assert open(os.path.join(zipped, "inner", "x.txt")).read() == "zipped"
    assert os.path.exists(os.path.join(tmp_path, "z", "bundle_archive"))


def test_unsafe_archives_and_http_errors(server, tmp_path):
    url, _ = server
    with pytest.raises(ValueError, match="Refusing to extract '../escaped.txt'"):
        get_file("evil.zip", origin=url + "/evil.zip", extract=True, cache_dir=tmp_path)
    assert not (tmp_path / "datasets" / "escaped.txt").exists()
    with pytest.raises(OSError, match="URL fetch failure on .*/missing: 404"):
        get_file("missing", origin=url + "/missing", cache_dir=tmp_path)
    assert not (tmp_path / "datasets" / "missing").exists()
    with pytest.raises(ValueError, match="fname is a file name, not a path"):
        get_file("a/b", origin=url + "/payload.bin", cache_dir=tmp_path)
    with pytest.raises(ValueError, match="specify the \"origin\""):
        get_file("x")
