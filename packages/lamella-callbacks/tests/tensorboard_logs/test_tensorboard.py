"""``TensorBoard``: the real TensorBoard server shows what the callback wrote; batch
logging costs no per-batch host read; profiling writes a jax trace; TensorFlow is
never imported."""

import gzip
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request

import jax
import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from lamella.callbacks import TensorBoard
from lamella.training import logs as device_logs


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read()
    # The profile plugin gzips its JSON whatever the request's Accept-Encoding.
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    return json.loads(body)


@pytest.fixture
def tensorboard_server():
    """``start(logdir) -> base URL`` of a real ``tensorboard`` serving ``logdir``."""
    processes = []

    def start(logdir):
        port = _free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "tensorboard.main", "--logdir", str(logdir), "--host", "127.0.0.1",
             "--port", str(port), "--load_fast", "false", "--reload_interval", "1"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        processes.append(process)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.skip(f"tensorboard could not start here: {process.stdout.read().decode()[-2000:]}")
            try:
                runs = _get(base + "/data/runs")
                if {"train", "validation"} <= set(runs):
                    return base
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.5)
        pytest.skip("tensorboard did not serve the runs within 90 s")

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _query(base, plugin, route, **params):
    return _get(f"{base}/data/plugin/{plugin}/{route}?{urllib.parse.urlencode(params)}")


def test_tensorboard_serves_the_scalars_and_histograms_written(tmp_path, tensorboard_server, problem, make_model):
    x, y = problem(50)
    model = make_model()
    callback = TensorBoard(log_dir=tmp_path, histogram_freq=1, update_freq=2, write_images=True)
    history = model.fit(x[:40], y[:40], validation_data=(x[40:], y[40:]), epochs=3, batch_size=10,
                        verbose=0, callbacks=[callback])
    base = tensorboard_server(tmp_path)

    epoch_loss = _query(base, "scalars", "scalars", run="train", tag="epoch_loss")
    assert [step for _, step, _ in epoch_loss] == [0, 1, 2]
    np.testing.assert_allclose([v for _, _, v in epoch_loss], history.history["loss"], rtol=1e-6)
    val_loss = _query(base, "scalars", "scalars", run="validation", tag="epoch_loss")
    np.testing.assert_allclose([v for _, _, v in val_loss], history.history["val_loss"], rtol=1e-6)
    rate = _query(base, "scalars", "scalars", run="train", tag="epoch_learning_rate")
    np.testing.assert_allclose([v for _, _, v in rate], [0.05] * 3, rtol=1e-6)
    evaluation = _query(base, "scalars", "scalars", run="validation", tag="evaluation_loss_vs_iterations")
    assert [step for _, step, _ in evaluation] == [4, 8, 12]  # optimizer steps

    # 4 batches per epoch, every 2nd step: steps 2, 4, ..., 12. The value at the end
    # of an epoch is the epoch's loss (the running mean over its batches).
    batch_loss = _query(base, "scalars", "scalars", run="train", tag="batch_loss")
    assert [step for _, step, _ in batch_loss] == [2, 4, 6, 8, 10, 12]
    np.testing.assert_allclose([v for _, s, v in batch_loss if s % 4 == 0], history.history["loss"], rtol=1e-6)

    tags = _query(base, "histograms", "tags")["train"]
    kernel_tag = next(tag for tag in tags if tag.endswith("kernel/histogram"))
    histograms = _query(base, "histograms", "histograms", run="train", tag=kernel_tag)
    assert [step for _, step, _ in histograms] == [0, 1, 2]
    buckets = np.array(histograms[-1][2])  # rows of (left, right, count)
    kernel = np.asarray(model.weights[0])
    assert buckets[:, 2].sum() == kernel.size
    np.testing.assert_allclose([buckets[0, 0], buckets[-1, 1]], [kernel.min(), kernel.max()], rtol=1e-6)

    images = _query(base, "images", "tags")
    assert any(tag.endswith("kernel/image") for tag in images["train"])
    text = _query(base, "text", "tags")
    assert "model_summary" in text["train"]


def test_batch_logging_reads_the_device_once_per_epoch(tmp_path, monkeypatch, problem, make_model):
    x, y = problem(80)
    fetches = []
    real_get = jax.device_get

    def counted_get(tree):
        if isinstance(tree, list):  # TensorBoard's batch logs (the engine fetches a dict per epoch)
            fetches.append(len(tree))
        return real_get(tree)

    monkeypatch.setattr(jax, "device_get", counted_get)
    monkeypatch.setattr(device_logs.DeviceLogs, "__getitem__", lambda self, key: pytest.fail("batch logs read"))
    make_model().fit(x, y, epochs=2, batch_size=10, verbose=0,
                     callbacks=[TensorBoard(log_dir=tmp_path, update_freq=1, write_graph=False)])
    assert fetches == [8, 8]  # every step's logs, one transfer per epoch
    accumulator = EventAccumulator(str(tmp_path / "train"), size_guidance={"tensors": 0})
    accumulator.Reload()
    assert [e.step for e in accumulator.Tensors("batch_loss")] == list(range(1, 17))


def test_chunks_end_at_the_logged_steps(tmp_path, monkeypatch, problem, make_model):
    from lamella.training import dispatch

    monkeypatch.setattr(dispatch, "CHUNK_SECONDS", 10.0)
    x, y = problem(100)
    model = make_model()
    model.fit(x, y, epochs=1, batch_size=10, verbose=0,
              callbacks=[TensorBoard(log_dir=tmp_path, update_freq=3, write_graph=False)])
    model.fit(x, y, epochs=1, batch_size=10, verbose=0,
              callbacks=[TensorBoard(log_dir=tmp_path, update_freq=3, write_graph=False)])
    accumulator = EventAccumulator(str(tmp_path / "train"), size_guidance={"tensors": 0})
    accumulator.Reload()
    # A second fit continues the optimizer's step count.
    assert [e.step for e in accumulator.Tensors("batch_loss")] == [3, 6, 9, 12, 15, 18]


def test_profile_batch_writes_a_jax_trace(tmp_path, problem, make_model):
    x, y = problem(60)
    make_model().fit(x, y, epochs=2, batch_size=10, verbose=0,
                     callbacks=[TensorBoard(log_dir=tmp_path, profile_batch=(2, 3), write_graph=False)])
    profile = tmp_path / "train" / "plugins" / "profile"
    sessions = os.listdir(profile)
    assert len(sessions) == 1
    assert any(name.endswith(".xplane.pb") for name in os.listdir(profile / sessions[0]))


def test_the_profile_plugin_opens_the_trace(tmp_path, tensorboard_server, problem, make_model):
    pytest.importorskip("tensorboard_plugin_profile", reason="the profile extra (lamella-callbacks[profile]) is not installed")
    x, y = problem(60)
    make_model().fit(x, y, epochs=2, batch_size=10, verbose=0, validation_data=(x[:20], y[:20]),
                     callbacks=[TensorBoard(log_dir=tmp_path, profile_batch=(2, 3), write_graph=False)])
    base = tensorboard_server(tmp_path)
    session = os.listdir(tmp_path / "train" / "plugins" / "profile")[0]
    deadline = time.monotonic() + 60
    runs = []
    while time.monotonic() < deadline and f"train/{session}" not in runs:
        runs = _get(f"{base}/data/plugin/profile/runs")
        time.sleep(0.5)
    assert f"train/{session}" in runs
    run = f"train/{session}"
    assert "trace_viewer@" in _query(base, "profile", "run_tools", run=run)
    [host] = _query(base, "profile", "hosts", run=run, tag="trace_viewer")
    trace = _query(base, "profile", "data", run=run, tag="trace_viewer", host=host["hostname"])
    # The recorded steps ran XLA programs: the trace holds more than metadata.
    assert any(event.get("ph") == "X" for event in trace["traceEvents"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"update_freq": 0}, "update_freq 'epoch', 'batch' or a positive integer. Received: update_freq=0"),
        ({"profile_batch": "5,2"}, "Received: profile_batch='5,2'"),
        ({"profile_batch": -1}, "Received: profile_batch=-1"),
        ({"histogram_freq": -1}, "histogram_freq. Received: histogram_freq=-1"),
        ({"embeddings_freq": -1}, "embeddings_freq. Received: embeddings_freq=-1"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TensorBoard(**kwargs)


def test_tensorflow_is_never_imported(tmp_path):
    script = textwrap.dedent(f"""
        import sys
        import traceback

        attempts = []

        class Watch:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("tensorflow", "tensorflow_core", "tf_keras", "keras"):
                    # importlib.util.find_spec asks whether a package is installed
                    # without importing it (etils does, for jax's compilation cache,
                    # when the profile plugin brought it in): not an import.
                    probe = any(f.filename.endswith(("importlib/util.py", "<frozen importlib.util>")) for f in traceback.extract_stack())
                    if not probe:
                        attempts.append(name)
                return None

        sys.meta_path.insert(0, Watch())
        import os

        import numpy as np
        import lamella
        from lamella.callbacks import TensorBoard
        from lamella.engine.layer import Layer
        from lamella.testing import Linear, PlainSGD, squared_error

        class Lookup(Layer):  # an embedding table, for the projector files
            def build(self, input_shape):
                self.embeddings = self.add_weight(shape=(4, 2), name="embeddings")

            def call(self, inputs):
                return self.embeddings.value[inputs.astype("int32")].mean(axis=1)

            def compute_output_shape(self, input_shape):
                return (input_shape[0], 2)

        model = lamella.Sequential([lamella.Input((2,)), Lookup(), Linear(1)])
        model.compile(optimizer=PlainSGD(0.1), loss=squared_error)
        x = np.ones((8, 2), np.float32)
        model.fit(x, x[:, :1], epochs=2, batch_size=4, verbose=0, validation_data=(x, x[:, :1]),
                  callbacks=[TensorBoard({str(tmp_path)!r}, histogram_freq=1, write_images=True, update_freq=1,
                                         embeddings_freq=1)])
        assert os.path.exists(os.path.join({str(tmp_path)!r}, "train", "projector_config.pbtxt"))
        assert not attempts, attempts
        assert not [m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras")]
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
