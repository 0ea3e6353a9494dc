"""The Maxout plugin, tested as its author would: with lamella-core alone."""

import importlib.metadata

import numpy as np
import pytest

import lamella
from lamella.models import model_from_json
from lamella.plugins import get_registry
from lamella.testing import PlainSGD, check_layer, squared_error
from lamella_maxout import Maxout


def _reference(x, kernel, bias, units, pieces):
    z = x @ kernel + bias
    return z.reshape(*z.shape[:-1], units, pieces).max(axis=-1)


def test_maxout_passes_the_layer_checks_and_matches_numpy():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 4)).astype(np.float32)
    layer = Maxout(3, pieces=4)
    output = np.asarray(layer(x))
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(output, _reference(x, kernel, bias, 3, 4), rtol=1e-5, atol=1e-6)
    check_layer(
        Maxout, {"units": 3, "pieces": 4, "bias_initializer": "random_normal"}, input_data=x,
        expected_output_shape=(5, 3), expected_num_trainable_weights=2, registered_as="Maxout",
    )


def test_maxout_works_on_sequences():
    check_layer(Maxout, {"units": 2}, input_shape=(3, 7, 5), expected_output_shape=(3, 7, 2))


def test_the_plugin_is_found_through_its_entry_point():
    entry = get_registry("layers").lookup("Maxout")
    assert entry.obj is Maxout
    assert entry.provider.distribution == "lamella-maxout"
    assert entry.provider.version == importlib.metadata.version("lamella-maxout")


def test_a_model_using_maxout_is_rebuilt_from_json_by_name():
    model = lamella.Sequential([lamella.Input((4,)), Maxout(3, pieces=2, name="maxout")])
    config = model.to_json()
    assert '"class_name": "Maxout"' in config and "lamella-maxout" in config
    rebuilt = model_from_json(config)
    assert isinstance(rebuilt.layers[0], Maxout)
    assert rebuilt.layers[0].pieces == 2
    rebuilt.set_weights(model.get_weights())
    x = np.random.default_rng(1).normal(size=(6, 4)).astype(np.float32)
    np.testing.assert_allclose(rebuilt.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_maxout_learns_a_convex_function():
    # |x| is the maximum of two linear pieces, x and -x: one Maxout unit fits it.
    x = np.linspace(-2, 2, 256, dtype=np.float32)[:, None]
    lamella.utils.set_random_seed(0)
    model = lamella.Sequential([lamella.Input((1,)), Maxout(1, pieces=2)])
    model.compile(optimizer=PlainSGD(0.1), loss=squared_error)
    history = model.fit(x, np.abs(x), epochs=60, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < 1e-3 < history.history["loss"][0]
    np.testing.assert_allclose(model.predict(np.array([[-1.5], [0.5]], np.float32), verbose=0),
                               [[1.5], [0.5]], atol=0.05)


@pytest.mark.parametrize(
    "kwargs, message",
    [({"units": 0}, "positive integer for units. Received: units=0"),
     ({"units": 2, "pieces": 1}, "pieces >= 2. Received: pieces=1")],
)
def test_bad_hyper_parameters_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Maxout(**kwargs)
