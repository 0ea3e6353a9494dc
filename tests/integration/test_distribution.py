"""Training on four CPU devices: the seed MLP and a small convnet under
DataParallel and ModelParallel against one device, and a model saved under a
distribution loaded and used on one device.

The runs happen in one fresh process that sees four CPU devices
(``lamella.testing.run_on_devices``); the tests check its report.
"""

import numpy as np
import pytest

import lamella
from lamella.testing import run_on_devices


class BatchProbe(lamella.Layer):
    """The script's probe is the identity; loading the saved model needs a class."""

    def call(self, x):
        return x

    def compute_output_shape(self, shape):
        return shape

_SCRIPT = """
import jax
import numpy as np
from sklearn.datasets import load_digits
import lamella
from lamella import distribution as dist
from lamella.layers import Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from lamella.utils import to_categorical

class BatchProbe(lamella.Layer):
    # Records the per-device shape of the batch inside the compiled steps.
    seen = []
    def call(self, x):
        jax.debug.inspect_array_sharding(x, callback=lambda s, shape=x.shape: BatchProbe.seen.append(list(s.shard_shape(shape))))
        return x
    def compute_output_shape(self, shape):
        return shape

digits = load_digits()
images = (digits.images[:320] / 16.0).astype("float32")
labels = to_categorical(digits.target[:320], 10)
rows = (np.arange(28) * 8) // 28
flat = images[:, rows][:, :, rows].reshape(-1, 784)

def seed_mlp():
    model = lamella.Sequential([
        lamella.Input((784,)), BatchProbe(),
        Dense(512, activation="relu"), Dropout(0.2),
        Dense(512, activation="relu"), Dropout(0.2),
        Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model, flat

def convnet():
    model = lamella.Sequential([
        lamella.Input((8, 8, 1)), BatchProbe(),
        Conv2D(8, 3, activation="relu"), MaxPooling2D(2), Flatten(),
        Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model, images[..., None]

def train(build, distribution, save_to=None):
    lamella.backend.clear_session()
    dist.set_distribution(distribution)
    lamella.utils.set_random_seed(7)
    model, x = build()
    BatchProbe.seen.clear()
    history = model.fit(x[:256], labels[:256], batch_size=32, epochs=3, verbose=0,
                        validation_data=(x[256:], labels[256:]))
    result = {
        "history": history.history,
        "batch_shards": list(BatchProbe.seen),
        "weight_shards": {v.path: list(v.value.sharding.shard_shape(v.shape)) for v in model.weights},
        "predict": model.predict(x[256:], verbose=0).tolist(),
    }
    if save_to:
        model.save(save_to)
    dist.set_distribution(None)
    return result

mesh = dist.DeviceMesh((2, 2), ["batch", "model"])
layout_map = dist.LayoutMap(mesh)
layout_map["dense.*kernel"] = (None, "model")
layout_map["dense.*bias"] = ("model",)
model_parallel = dist.ModelParallel(layout_map=layout_map, batch_dim_name="batch")
report({
    "mlp_one": train(seed_mlp, None),
    "mlp_data": train(seed_mlp, dist.DataParallel()),
    "mlp_model": train(seed_mlp, model_parallel),
    "conv_one": train(convnet, None),
    "conv_data": train(convnet, dist.DataParallel(), save_to=SAVE_TO),
})
"""


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    path = tmp_path_factory.mktemp("distribution") / "convnet.keras"
    result = run_on_devices(f"SAVE_TO = {str(path)!r}\n" + _SCRIPT, device_count=4)
    result["saved"] = str(path)
    return result


def _assert_same_training(run, reference):
    for name in ("loss", "accuracy", "val_loss", "val_accuracy"):
        np.testing.assert_allclose(run["history"][name], reference["history"][name], rtol=2e-5, atol=1e-6, err_msg=name)
    np.testing.assert_allclose(run["predict"], reference["predict"], rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("model, kind", [("mlp", "data"), ("mlp", "model"), ("conv", "data")])
def test_distributed_training_has_the_losses_of_one_device(runs, model, kind):
    _assert_same_training(runs[f"{model}_{kind}"], runs[f"{model}_one"])
    assert runs[f"{model}_one"]["history"]["loss"][-1] < runs[f"{model}_one"]["history"]["loss"][0]


def test_data_parallel_splits_every_batch_over_the_four_devices(runs):
    for model in ("mlp", "conv"):
        one, data = runs[f"{model}_one"]["batch_shards"], runs[f"{model}_data"]["batch_shards"]
        assert one and all(shape[0] == 32 for shape in one)
        # 32-row batches (training) and the 64 validation rows in one batch of 32 + 32.
        assert data and all(shape[0] == 8 for shape in data)
    kernel = runs["conv_data"]["weight_shards"]["conv2d/kernel"]
    assert kernel == [3, 3, 1, 8]  # replicated: every device holds all of it


def test_model_parallel_splits_the_dense_weights_on_the_model_axis(runs):
    shards = runs["mlp_model"]["weight_shards"]
    assert shards["dense/kernel"] == [784, 256] and shards["dense/bias"] == [256]
    assert shards["dense_1/kernel"] == [512, 256] and shards["dense_2/kernel"] == [512, 5]
    assert all(shape[0] == 16 for shape in runs["mlp_model"]["batch_shards"])  # 2 batch devices


def test_a_model_saved_under_a_distribution_loads_on_one_device(runs):
    from sklearn.datasets import load_digits

    model = lamella.saving.load_model(runs["saved"], custom_objects={"BatchProbe": BatchProbe})
    x = (load_digits().images[256:320] / 16.0).astype("float32")[..., None]
    np.testing.assert_allclose(model.predict(x, verbose=0), runs["conv_data"]["predict"], rtol=1e-5, atol=1e-6)
    assert all(len(w.value.sharding.device_set) == 1 for w in model.weights)


def test_the_distribution_guide_examples_run_on_four_devices():
    import json
    import pathlib
    import re

    page = pathlib.Path(__file__).resolve().parents[2] / "docs" / "distribution.md"
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.S)
    script = f"""
import contextlib, io, json
blocks = json.loads({json.dumps(json.dumps(blocks))})
namespace, output = {{}}, io.StringIO()
with contextlib.redirect_stdout(output):
    for block in blocks:
        exec(compile(block, "distribution.md", "exec"), namespace)
report(output.getvalue())
"""
    printed = run_on_devices(script, device_count=4).splitlines()
    assert printed == ["['cpu:0', 'cpu:1', 'cpu:2', 'cpu:3']", "4", "True", "(20, 64) (20, 16)"]
