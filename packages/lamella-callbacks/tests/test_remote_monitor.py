"""``RemoteMonitor``: epoch logs POSTed as JSON or as a form to a local server."""

import http.server
import json
import threading
import urllib.parse

import pytest

from lamella.callbacks import RemoteMonitor


@pytest.fixture
def server():
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, dict(self.headers), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", received
    httpd.shutdown()
    httpd.server_close()


def test_logs_are_sent_as_json(server, problem, make_model):
    root, received = server
    x, y = problem()
    monitor = RemoteMonitor(root=root, path="/epochs", send_as_json=True, headers={"X-Run": "7"})
    history = make_model().fit(x, y, epochs=2, batch_size=20, verbose=0, callbacks=[monitor])
    assert [path for path, _, _ in received] == ["/epochs", "/epochs"]
    _, headers, body = received[1]
    assert headers["Content-Type"] == "application/json" and headers["X-Run"] == "7"
    assert json.loads(body) == {"epoch": 1, "loss": history.history["loss"][1]}


def test_logs_are_sent_as_a_form_field(server, problem, make_model):
    root, received = server
    x, y = problem()
    make_model().fit(x, y, epochs=1, verbose=0, callbacks=[RemoteMonitor(root=root, field="payload")])
    path, headers, body = received[0]
    assert path == "/publish/epoch/end/"
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    payload = json.loads(urllib.parse.parse_qs(body.decode())["payload"][0])
    assert payload["epoch"] == 0 and payload["loss"] > 0


def test_an_unreachable_server_warns_and_training_goes_on(problem, make_model):
    x, y = problem()
    monitor = RemoteMonitor(root="http://127.0.0.1:9", timeout=2)
    with pytest.warns(UserWarning, match="RemoteMonitor could not reach the server at http://127.0.0.1:9"):
        history = make_model().fit(x, y, epochs=2, verbose=0, callbacks=[monitor])
    assert len(history.history["loss"]) == 2


def test_root_must_be_an_http_url():
    with pytest.raises(ValueError, match="http\\(s\\) URL for root. Received: root='localhost:9000'"):
        RemoteMonitor(root="localhost:9000")
