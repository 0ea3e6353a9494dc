"""The engine on four CPU devices: DataParallel and ModelParallel training,
evaluation and prediction against one device, and where every array lives.

jax fixes its devices at start-up, so the training runs in one fresh process
that sees four CPU devices (``lamella.testing.run_on_devices``); the tests below
check what it reports.
"""

import numpy as np
import pytest

from lamella.testing import run_on_devices

_SCRIPT = """
import jax
import numpy as np
import lamella
from lamella import distribution as dist
from lamella.testing import Linear, PlainSGD, squared_error

class Probe(lamella.Layer):
    # Records the per-device shape of the batch inside the compiled step.
    seen = []
    def call(self, x):
        jax.debug.inspect_array_sharding(x, callback=lambda s, shape=x.shape: Probe.seen.append(list(s.shard_shape(shape))))
        return x
    def compute_output_shape(self, shape):
        return shape

class Batches:
    # An iterable of batches, read again every epoch (a list would be array data).
    def __init__(self, items):
        self.items = items
    def __iter__(self):
        return iter(self.items)

rng = np.random.default_rng(0)
x = rng.normal(size=(64, 6)).astype("float32")
y = (x @ rng.normal(size=(6, 4))).astype("float32")

def model(units=4):
    lamella.utils.set_random_seed(3)
    m = lamella.Sequential([lamella.Input((6,)), Probe(), Linear(units)])
    m.compile(optimizer=PlainSGD(0.05, use_ema=True, ema_momentum=0.5), loss=squared_error)
    return m

def train(distribution):
    lamella.backend.clear_session()
    dist.set_distribution(distribution)
    m = model()
    Probe.seen.clear()
    history = m.fit(x, y, batch_size=8, epochs=3, verbose=0, validation_split=0.25)
    batch_shards = list(Probe.seen)
    result = {
        "loss": history.history["loss"], "val_loss": history.history["val_loss"],
        "weights": [w.tolist() for w in m.get_weights()],
        "evaluate": m.evaluate(x, y, batch_size=6, verbose=0),
        "predict": m.predict(x[:10], batch_size=4, verbose=0).tolist(),
        "batch_shards": batch_shards,
        # Per-device shapes and device counts of the arrays the variables hold.
        "weight_shards": [list(v.value.sharding.shard_shape(v.shape)) for v in m.weights],
        "weight_devices": [len(v.value.sharding.device_set) for v in m.weights],
        "slot_shards": {v.path: list(v.value.sharding.shard_shape(v.shape)) for v in m.optimizer.variables},
        "specs": [list(getattr(v.value.sharding, "spec", ["one device"])) for v in m.weights],
        "train_on_batch": float(m.train_on_batch(x[:8], y[:8])),
    }
    dist.set_distribution(None)
    result["predict_after"] = m.predict(x[:10], verbose=0).tolist()
    return result

def stream(distribution):
    # Batches from the host (an iterable of (x, y) batches), as a generator or
    # PyDataset gives them: placed by the prefetcher.
    lamella.backend.clear_session()
    dist.set_distribution(distribution)
    m = model()
    Probe.seen.clear()
    batches = Batches([(x[i:i + 8], y[i:i + 8]) for i in range(0, 64, 8)])
    history = m.fit(batches, epochs=3, verbose=0)
    result = {
        "loss": history.history["loss"],
        "evaluate": m.evaluate(batches, verbose=0),
        "predict": m.predict(Batches([x[:8], x[8:16]]), verbose=0).tolist(),
        "batch_shards": list(Probe.seen),
    }
    dist.set_distribution(None)
    return result

mesh = dist.DeviceMesh((2, 2), ["batch", "model"])
layout_map = dist.LayoutMap(mesh)
layout_map["linear.*kernel"] = (None, "model")
layout_map["linear.*bias"] = ("model",)
results = {
    "devices": dist.list_devices(),
    "one": train(None),
    "data": train(dist.DataParallel()),
    "model": train(dist.ModelParallel(layout_map=layout_map, batch_dim_name="batch")),
    "stream_one": stream(None),
    "stream_data": stream(dist.DataParallel()),
    "stream_model": stream(dist.ModelParallel(layout_map=layout_map, batch_dim_name="batch")),
}

errors = {}
lamella.backend.clear_session()
dist.set_distribution(dist.DataParallel())
try:
    model().fit(x, y, batch_size=6, verbose=0)
except ValueError as error:
    errors["batch_size"] = str(error)
lamella.backend.clear_session()
dist.set_distribution(dist.ModelParallel(layout_map=layout_map))
try:
    model(units=3).fit(x, y[:, :3], batch_size=8, verbose=0)
except ValueError as error:
    errors["layout"] = str(error)
results["errors"] = errors
report(results)
"""


@pytest.fixture(scope="module")
def runs():
    return run_on_devices(_SCRIPT, device_count=4)


def test_the_process_sees_four_devices(runs):
    assert runs["devices"] == ["cpu:0", "cpu:1", "cpu:2", "cpu:3"]


@pytest.mark.parametrize("kind", ["data", "model"])
def test_distributed_fit_follows_the_one_device_run(runs, kind):
    one, other = runs["one"], runs[kind]
    np.testing.assert_allclose(other["loss"], one["loss"], rtol=1e-5)
    np.testing.assert_allclose(other["val_loss"], one["val_loss"], rtol=1e-5)
    for got, expected in zip(other["weights"], one["weights"]):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(other["evaluate"], one["evaluate"], rtol=1e-5)
    np.testing.assert_allclose(other["predict"], one["predict"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(other["train_on_batch"], one["train_on_batch"], rtol=1e-5)
    # Back on one device, the trained (sharded) weights predict the same.
    np.testing.assert_allclose(other["predict_after"], one["predict_after"], rtol=1e-5, atol=1e-6)


def test_data_parallel_splits_the_batch_and_replicates_weights(runs):
    one, data = runs["one"], runs["data"]
    # Batches of 8 rows: 2 rows per device; on one device, all 8.
    assert [8, 6] in one["batch_shards"] and [2, 6] in data["batch_shards"]
    assert [8, 6] not in data["batch_shards"]
    assert data["weight_shards"] == [[6, 4], [4]]
    assert data["weight_devices"] == [4, 4]
    assert one["weight_devices"] == [1, 1]


def test_model_parallel_splits_the_weights_named_in_the_layout_map(runs):
    model = runs["model"]
    # Units split over the 2 devices of the "model" axis: (6, 4) kernels live as
    # (6, 2) pieces, the (4,) biases as (2,) pieces.
    assert model["specs"] == [[None, "model"], ["model"]]
    assert model["weight_shards"] == [[6, 2], [2]]
    assert model["weight_devices"] == [4, 4]
    # The moving averages (optimizer slots) follow their variables; counters are replicated.
    slots = model["slot_shards"]
    assert slots["plain_sgd/linear_kernel_average"] == [6, 2]
    assert slots["plain_sgd/linear_bias_average"] == [2]
    assert slots["plain_sgd/iteration"] == []
    assert runs["data"]["slot_shards"]["plain_sgd/linear_kernel_average"] == [6, 4]
    # The batch axis has 2 devices: 4 rows each.
    assert [4, 6] in model["batch_shards"]


def test_uneven_batches_and_layouts_are_clear_errors(runs):
    errors = runs["errors"]
    assert errors["batch_size"] == (
        "fit cannot split batch_size=6 evenly over the 4 devices of the 'batch' axis of "
        "DataParallel: pass a batch_size that is a multiple of 4."
    )
    assert "variable 'linear/kernel' of shape (6, 3) cannot be split by layout (None, 'model')" in errors["layout"]
    assert "dimension 1 (3) is not a multiple of 2 devices" in errors["layout"]


def test_streamed_batches_are_split_over_the_devices_and_train_as_on_one(runs):
    one = runs["stream_one"]
    assert one["batch_shards"] and all(shape == [8, 6] for shape in one["batch_shards"])
    for kind, rows in (("data", 2), ("model", 4)):
        run = runs[f"stream_{kind}"]
        # Split when they reach the device, not gathered on one and resharded.
        assert run["batch_shards"] and all(shape == [rows, 6] for shape in run["batch_shards"]), kind
        np.testing.assert_allclose(run["loss"], one["loss"], rtol=1e-5, err_msg=kind)
        np.testing.assert_allclose(run["evaluate"], one["evaluate"], rtol=1e-5, err_msg=kind)
        np.testing.assert_allclose(run["predict"], one["predict"], rtol=1e-5, atol=1e-6, err_msg=kind)
