"""Bad input gets an error that names the layer or argument, what was expected and
what was received, across the installed distributions."""

import numpy as np
import pytest

from lamella.layers import Dense
from lamella.models import Sequential


def _seed_mlp():
    model = Sequential([Dense(512, activation="relu", input_shape=(784,), name="hidden"),
                        Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_a_model_for_784_features_fed_100_names_the_layer_and_both_shapes(method):
    model = _seed_mlp()
    x = np.zeros((32, 100), np.float32)
    y = np.zeros((32, 10), np.float32)
    args = (x,) if method == "predict" else (x, y)
    with pytest.raises(ValueError) as info:
        getattr(model, method)(*args, verbose=0)
    message = str(info.value)
    assert "hidden" in message
    assert "784" in message and "100" in message


@pytest.mark.parametrize(
    "kwargs, kind, listed",
    [
        ({"loss": "categorical_crosentropy"}, "loss", "categorical_crossentropy"),
        ({"loss": "mse", "optimizer": "adamm"}, "optimizer", "adam"),
        ({"loss": "mse", "metrics": ["acuracy"]}, "metric", "accuracy"),
    ],
)
def test_unknown_names_in_compile_list_what_is_registered(kwargs, kind, listed):
    model = Sequential([Dense(2, input_shape=(3,))])
    with pytest.raises(ValueError) as info:
        model.compile(**{"optimizer": "adam", **kwargs})
    message = str(info.value)
    assert f"Unknown {kind}" in message
    assert repr(listed) in message  # suggested and listed among the registered names


def test_unknown_activation_fails_at_construction_listing_the_registered_ones():
    with pytest.raises(ValueError) as info:
        Dense(4, activation="relux")
    message = str(info.value)
    assert "Unknown activation: 'relux'" in message
    assert "'relu'" in message and "'softmax'" in message


def test_mismatched_sample_counts_are_named():
    model = _seed_mlp()
    with pytest.raises(ValueError, match="32.*31|31.*32"):
        model.fit(np.zeros((32, 784), np.float32), np.zeros((31, 10), np.float32), verbose=0)


def test_a_failed_fit_leaves_the_weights_as_they_were():
    model = _seed_mlp()
    assert model.built  # the first layer's input_shape builds it
    before = model.get_weights()
    with pytest.raises(ValueError):
        model.fit(np.zeros((8, 100), np.float32), np.zeros((8, 10), np.float32), verbose=0)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
