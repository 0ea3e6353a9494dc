"""``compile_options``: the XLA options per backend, and which steps avoid device
loops (convolutions on CPU)."""

import jax
import jax.numpy as jnp
import numpy as np

import lamella
from lamella.backend import compile_options
from lamella.engine.layer import Layer
from lamella.engine.sequential import Sequential


class TinyConv(Layer):
    """A one-filter 2D convolution written on core alone."""

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(2, 2, input_shape[-1], 1), initializer="ones")

    def call(self, x):
        return jax.lax.conv_general_dilated(
            x, self.kernel.value, (1, 1), "VALID", dimension_numbers=("NHWC", "HWIO", "NHWC")
        ).reshape(x.shape[0], -1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], (input_shape[1] - 1) * (input_shape[2] - 1))


def test_cpu_steps_send_convolutions_to_eigen_and_other_backends_get_nothing():
    assert compile_options.step_compiler_options("cpu") == {
        "xla_cpu_experimental_ynn_fusion_type": "LIBRARY_FUSION_TYPE_INDIVIDUAL_DOT"
    }
    assert compile_options.step_compiler_options("gpu") == {}
    # The option is accepted by this jaxlib and does not change results.
    f = jax.jit(lambda x: x @ x.T, compiler_options=compile_options.step_compiler_options("cpu"))
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(f(x), x @ x.T)


def test_cpu_training_steps_also_send_reductions_to_ynnpack():
    assert compile_options.step_compiler_options("cpu", training=True) == {
        "xla_cpu_experimental_ynn_fusion_type": "LIBRARY_FUSION_TYPE_INDIVIDUAL_DOT,LIBRARY_FUSION_TYPE_REDUCE"
    }
    assert compile_options.step_compiler_options("gpu", training=True) == {}

    def bias_gradient(g):  # what a convolution's bias gradient reduces
        return jnp.sum(jax.nn.relu(g), axis=(0, 1, 2))

    g = np.random.default_rng(0).normal(size=(8, 16, 16, 32)).astype(np.float32)
    programs = {
        training: jax.jit(bias_gradient, compiler_options=compile_options.step_compiler_options("cpu", training))
        for training in (False, True)
    }
    texts = {training: f.lower(g).compile().as_text() for training, f in programs.items()}
    assert "__ynn_fusion" in texts[True] and "__ynn_fusion" not in texts[False]
    for f in programs.values():
        np.testing.assert_allclose(f(g), np.maximum(g, 0).sum(axis=(0, 1, 2)), rtol=1e-5)


def test_the_engine_compiles_training_steps_with_the_training_options(monkeypatch):
    asked = []
    original = compile_options.step_compiler_options

    def recording(backend=None, training=False):
        asked.append(training)
        return original(backend, training)

    monkeypatch.setattr(compile_options, "step_compiler_options", recording)
    lamella.utils.set_random_seed(0)
    model = Sequential([lamella.Input((3, 3, 1)), TinyConv()])
    _fit(model)
    assert asked and all(asked)  # every step fit compiled trains
    asked.clear()
    model.predict(np.ones((4, 3, 3, 1), np.float32), verbose=0)
    model.evaluate(np.ones((4, 3, 3, 1), np.float32), np.ones((4, 4), np.float32), verbose=0)
    assert asked == [False, False]


def test_convolutions_are_found_in_nested_jaxprs():
    def conv(x):
        return jax.lax.conv_general_dilated(x, jnp.ones((1, 1, 2, 2)), (1, 1), "VALID")

    nested = jax.make_jaxpr(lambda x: jax.jit(jax.grad(lambda y: conv(y).sum()))(x))(jnp.ones((1, 1, 3, 3)))
    assert compile_options.uses_primitive(nested, "conv_general_dilated")
    assert not compile_options.uses_primitive(jax.make_jaxpr(jnp.sin)(1.0), "conv_general_dilated")
    assert compile_options.device_loops_are_slow(nested, "cpu")
    assert not compile_options.device_loops_are_slow(nested, "gpu")


def _fit(model, steps_per_execution="auto"):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3, 3, 1)).astype(np.float32)
    y = x[:, :2, :2, 0].reshape(40, 4) * 2
    model.compile(optimizer=lamella.testing.PlainSGD(0.05), loss=lamella.testing.squared_error,
                  steps_per_execution=steps_per_execution)
    return model.fit(x, y, batch_size=8, epochs=3, verbose=0)


def test_a_convolutional_step_runs_as_a_host_loop_on_cpu_with_the_same_result():
    lamella.utils.set_random_seed(0)
    auto = Sequential([lamella.Input((3, 3, 1)), TinyConv()])
    history = _fit(auto)
    compiled = set(auto._engine._functions)
    assert auto._engine._functions[("device-loop-ok", 8)] is (jax.default_backend() != "cpu")
    if jax.default_backend() == "cpu":
        assert ("train", 8) in compiled and ("train-loop", 8) not in compiled
    lamella.utils.set_random_seed(0)
    single = Sequential([lamella.Input((3, 3, 1)), TinyConv()])
    reference = _fit(single, steps_per_execution=1)
    np.testing.assert_allclose(history.history["loss"], reference.history["loss"], rtol=1e-6)
    np.testing.assert_allclose(auto.get_weights()[0], single.get_weights()[0], rtol=1e-6)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_a_dense_step_keeps_the_device_loop(linear, plain_sgd, squared_error_loss):
    model = Sequential([lamella.Input((4,)), linear(1)])
    model.compile(optimizer=plain_sgd(0.05), loss=squared_error_loss)
    x = np.ones((32, 4), np.float32)
    model.fit(x, x[:, :1], batch_size=8, epochs=1, verbose=0)
    assert model._engine._functions[("device-loop-ok", 8)] is True
    assert ("train-loop", 8) in model._engine._functions
