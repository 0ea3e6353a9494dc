"""``lamella.testing.check_layer`` passes good layers and names what a bad one breaks."""

import jax.numpy as jnp
import numpy as np
import pytest

from lamella import plugins
from lamella.engine.layer import Layer
from lamella.testing import Linear, check_layer


def test_check_layer_passes_a_correct_layer_and_returns_its_output():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    output = check_layer(
        Linear, {"units": 2, "kernel_initializer": "ones"}, input_data=x,
        expected_output_shape=(2, 2), expected_output=np.stack([x.sum(1)] * 2, axis=1),
        expected_num_trainable_weights=2, expected_num_non_trainable_weights=0,
    )
    np.testing.assert_allclose(output, [[3.0, 3.0], [12.0, 12.0]])


class WrongShape(Layer):
    def call(self, inputs):
        return jnp.concatenate([inputs, inputs], axis=-1)

    def compute_output_shape(self, input_shape):
        return input_shape


def test_check_layer_reports_a_wrong_compute_output_shape():
    with pytest.raises(AssertionError, match=r"WrongShape: compute_output_shape.*\(2, 3\).*\(2, 6\)"):
        check_layer(WrongShape, input_shape=(2, 3))


class ForgetsItsConfig(Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):  # drops 'factor': a rebuilt layer would compute x * 2
        return super().get_config()


def test_check_layer_reports_a_lossy_config():
    with pytest.raises(AssertionError, match="ForgetsItsConfig: the layer rebuilt by from_config"):
        check_layer(ForgetsItsConfig, {"factor": 3.0}, input_data=np.ones((1, 2)),
                    expected_output=np.full((1, 2), 3.0))


def test_check_layer_verifies_the_registered_name():
    class LinearPlugin:
        @staticmethod
        @plugins.hookimpl
        def lamella_register_layers(registry):
            registry.register("TestLinear", Linear)

    plugins.register(LinearPlugin, name="test-linear", distribution="test-linear")
    try:
        check_layer(Linear, {"units": 3}, input_shape=(4, 5), registered_as="TestLinear")
        with pytest.raises(AssertionError, match="serialized under another name"):
            check_layer(Linear, {"units": 3}, input_shape=(4, 5), registered_as="Dense")
    finally:
        plugins.unregister("test-linear")


def test_check_layer_needs_an_input():
    with pytest.raises(ValueError, match="input_shape or input_data"):
        check_layer(Linear, {"units": 1})
