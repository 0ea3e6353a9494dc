"""Every distribution of the workspace installed together: all register through the
``lamella`` entry points, side by side with the third-party-style Maxout plugin."""

import json
import subprocess
import sys

import numpy as np

import lamella
from lamella.layers import Dense
from lamella.models import Sequential, model_from_json

DISTRIBUTIONS = {
    "lamella-core": {"layers", "activations", "initializers", "regularizers", "constraints"},
    "lamella-layers": {"layers"},
    "lamella-losses": {"losses", "metrics"},
    "lamella-optimizers": {"optimizers", "schedules"},
    "lamella-callbacks": {"callbacks"},
    "lamella-preprocessing": {"preprocessors"},
    "lamella-applications": {"preprocessors", "applications"},
    "lamella-maxout": {"layers"},
}


def test_lamella_plugins_lists_every_distribution_and_no_failure():
    result = subprocess.run([sys.executable, "-m", "lamella.cli.main", "plugins", "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["failures"] == [] and report["conflicts"] == []
    found = {plugin["distribution"]: plugin for plugin in report["plugins"]}
    for distribution, kinds in DISTRIBUTIONS.items():
        assert set(found[distribution]["registered"]) == kinds, distribution
    assert "Maxout" in found["lamella-maxout"]["registered"]["layers"]
    assert "adam" in found["lamella-optimizers"]["registered"]["optimizers"]
    assert "ResNet50" in found["lamella-applications"]["registered"]["applications"]


def test_the_plugin_layer_trains_beside_first_party_layers_and_reloads_by_name():
    from lamella_maxout import Maxout

    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 6)).astype(np.float32)
    y = (np.abs(x).sum(1, keepdims=True) > 4.5).astype(np.float32)
    lamella.utils.set_random_seed(0)
    model = Sequential([lamella.Input((6,)), Maxout(8, pieces=3), Dense(1, activation="sigmoid")])
    model.compile(optimizer=lamella.optimizers.Adam(0.02), loss="binary_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, y, epochs=40, batch_size=32, verbose=0)
    majority = max(y.mean(), 1 - y.mean())
    assert majority < 0.6 and history.history["accuracy"][-1] > 0.85

    # The saved config names the class by its registered key and its distribution;
    # rebuilding it imports nothing named in the file.
    config = json.loads(model.to_json())
    layer_configs = config["config"]["layers"]
    maxout_config = next(c for c in layer_configs if c["class_name"] == "Maxout")
    assert maxout_config["registered_by"]["distribution"] == "lamella-maxout"
    rebuilt = model_from_json(model.to_json())
    assert [type(layer).__name__ for layer in rebuilt.layers] == ["Maxout", "Dense"]
    rebuilt.set_weights(model.get_weights())
    np.testing.assert_allclose(rebuilt.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5)
