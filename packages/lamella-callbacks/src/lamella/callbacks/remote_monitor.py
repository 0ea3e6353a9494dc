"""``RemoteMonitor``: POSTs every epoch's logs to an HTTP server."""

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from lamella.training.callbacks.callback import Callback


class RemoteMonitor(Callback):
    """Sends ``{"epoch": epoch, **logs}`` to ``root + path`` at the end of each epoch.

    The request is an HTTP POST: with ``send_as_json=True`` the body is the JSON
    object (``Content-Type: application/json``); otherwise it is a form
    (``application/x-www-form-urlencoded``) whose field ``field`` holds the JSON
    text. A server that cannot be reached, or that answers with an error, gives a
    warning; training goes on. Uses only the standard library.

    Args:
        root: the server's URL, e.g. ``'http://localhost:9000'``.
        path: the path appended to ``root``.
        field: the form field holding the JSON (form requests only).
        headers: extra HTTP headers (a dict).
        send_as_json: send the logs as a JSON body instead of a form.
        timeout: seconds to wait for the server on each request.

    Example:

    >>> monitor = RemoteMonitor(root="http://localhost:9000", send_as_json=True)
    >>> # model.fit(x, y, callbacks=[monitor])
    """

    reads_model_per_batch = False

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/", field="data",
                 headers=None, send_as_json=False, timeout=10.0):
        super().__init__()
        if not isinstance(root, str) or urllib.parse.urlparse(root).scheme not in ("http", "https"):
            raise ValueError(f"RemoteMonitor expected an http(s) URL for root. Received: root={root!r}")
        if headers is not None and not isinstance(headers, dict):
            raise TypeError(f"RemoteMonitor expected a dict of headers. Received: headers={headers!r}")
        self.root = root
        self.path = path
        self.field = field
        self.headers = dict(headers or {})
        self.send_as_json = bool(send_as_json)
        self.timeout = timeout

    def on_epoch_end(self, epoch, logs=None):
        payload = {"epoch": epoch}
        for key, value in (logs or {}).items():
            payload[key] = value.item() if isinstance(value, np.ndarray | np.generic) else value
        if self.send_as_json:
            body = json.dumps(payload).encode()
            content_type = "application/json"
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(payload)}).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            self.root + self.path, data=body, method="POST",
            headers={"Content-Type": content_type, **self.headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError) as error:
            warnings.warn(
                f"RemoteMonitor could not reach the server at {self.root}: {error}",
                stacklevel=2,
            )
