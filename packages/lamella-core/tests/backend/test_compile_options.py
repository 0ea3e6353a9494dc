"""``compile_options``: the XLA options per backend, and which steps avoid device
loops (convolutions on CPU)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import lamella
from lamella.backend import compile_options
from lamella.engine.layer import Layer
from lamella.engine.sequential import Sequential
from lamella.training import dispatch
from lamella.training.callbacks import Callback


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


def _fit(model, steps_per_execution="auto", batch_size=8, callbacks=(), epochs=3):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3, 3, 1)).astype(np.float32)
    y = x[:, :2, :2, 0].reshape(40, 4) * 2
    model.compile(optimizer=lamella.testing.PlainSGD(0.05), loss=lamella.testing.squared_error,
                  steps_per_execution=steps_per_execution)
    return model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0, callbacks=list(callbacks))


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


class _BatchEnds(Callback):
    def __init__(self):
        super().__init__()
        self.batches = []

    def on_train_batch_end(self, batch, logs=None):
        self.batches.append(batch)


@pytest.mark.parametrize("per_execution, batch_size, unrolled, hooks", [
    (3, 8, 3, [2, 4]),  # 5 steps: one program of 3, then 2 single steps
    (20, 4, 8, [9]),  # 10 steps in one chunk: 8 written out (the cap), then 2 single
])
def test_an_integer_steps_per_execution_writes_convolutional_steps_out_on_cpu(
    per_execution, batch_size, unrolled, hooks
):
    lamella.utils.set_random_seed(0)
    chunked = Sequential([lamella.Input((3, 3, 1)), TinyConv()])
    recorder = _BatchEnds()
    history = _fit(chunked, per_execution, batch_size, [recorder])
    compiled = set(chunked._engine._functions)
    if jax.default_backend() == "cpu":
        assert ("train-unrolled", batch_size, unrolled) in compiled
        assert ("train-loop", batch_size) not in compiled
    assert recorder.batches == hooks * 3  # hooks once per chunk, as in Keras
    lamella.utils.set_random_seed(0)
    single = Sequential([lamella.Input((3, 3, 1)), TinyConv()])
    reference = _fit(single, 1, batch_size)
    np.testing.assert_allclose(history.history["loss"], reference.history["loss"], rtol=1e-6)
    np.testing.assert_allclose(chunked.get_weights()[0], single.get_weights()[0], rtol=1e-6)
    assert int(chunked.optimizer.iterations.value) == 3 * (40 // batch_size)


def test_streamed_convolutional_steps_are_written_out_too():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3, 3, 1)).astype(np.float32)
    y = x[:, :2, :2, 0].reshape(40, 4) * 2
    weights = []
    for feed, per_execution in (("memory", 1), ("generator", 3)):
        lamella.utils.set_random_seed(0)
        model = Sequential([lamella.Input((3, 3, 1)), TinyConv()])
        model.compile(optimizer=lamella.testing.PlainSGD(0.05), loss=lamella.testing.squared_error,
                      steps_per_execution=per_execution)
        if feed == "memory":
            model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
        else:  # 5 batches an epoch: 3 in one program, then 2 single steps
            batches = [(x[i:i + 8], y[i:i + 8]) for i in range(0, 40, 8)] * 2
            model.fit(iter(batches), steps_per_epoch=5, epochs=2, verbose=0)
        weights.append(model.get_weights()[0])
    if jax.default_backend() == "cpu":
        assert ("stream-train-chunk-unrolled", 3) in model._engine._functions
    np.testing.assert_allclose(weights[1], weights[0], rtol=1e-6)
    assert int(model.optimizer.iterations.value) == 10


def _unrolled_programs(model):
    return [key for key in model._engine._functions if key[0] == "train-unrolled"]


def test_auto_runs_a_short_fits_convolutional_steps_one_per_program(monkeypatch):
    # batch 4: 10 steps an epoch, 3 epochs: 30 planned steps, one short of the mark.
    monkeypatch.setattr(dispatch, "AUTO_UNROLL_STEPS", 31)
    model = Sequential([lamella.Input((3, 3, 1)), TinyConv()])
    _fit(model, batch_size=4)
    assert not _unrolled_programs(model)


class _ChunkedBatchEnds(_BatchEnds):
    accepts_chunked_batches = True  # as the progress bar's


@pytest.mark.parametrize("hooks", [False, True], ids=["no-hooks", "chunked-hooks"])
def test_auto_writes_a_long_fits_convolutional_steps_out_on_cpu(monkeypatch, hooks):
    # One epoch of 10 steps (batch 4), all planned. With hooks that take chunks a
    # chunk after single steps would be 4 (the growth cap): rounded up to a whole
    # written-out program of 8 instead.
    monkeypatch.setattr(dispatch, "AUTO_UNROLL_STEPS", 10)
    monkeypatch.setattr(dispatch, "CHUNK_SECONDS", 100.0)
    losses, weights = [], []
    for per_execution in ("auto", 1):
        lamella.utils.set_random_seed(0)
        model = Sequential([lamella.Input((3, 3, 1)), TinyConv()])
        recorder = _ChunkedBatchEnds()
        history = _fit(model, per_execution, 4, [recorder] if hooks else [], epochs=1)
        losses.append(history.history["loss"])
        weights.append(model.get_weights()[0])
        if per_execution == "auto" and jax.default_backend() == "cpu":
            assert _unrolled_programs(model) == [("train-unrolled", 4, 8)]
            if hooks:
                # Chunks of 1 and 1 (the first call, mostly compiling, sizes
                # nothing), then 8 where 4 and 4 would be.
                assert recorder.batches == [0, 1, 9]
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-6)
    np.testing.assert_allclose(weights[0], weights[1], rtol=1e-6)


def test_device_loop_chunks_are_not_rounded_to_written_out_programs(
    monkeypatch, linear, plain_sgd, squared_error_loss
):
    # A long fit under 'auto' plans written-out programs, but a dense step runs its
    # chunks in the device loop, which takes any count: chunks keep their timed size.
    monkeypatch.setattr(dispatch, "AUTO_UNROLL_STEPS", 10)
    monkeypatch.setattr(dispatch, "CHUNK_SECONDS", 100.0)
    model = Sequential([lamella.Input((4,)), linear(1)])
    model.compile(optimizer=plain_sgd(0.05), loss=squared_error_loss)
    x = np.ones((40, 4), np.float32)
    recorder = _ChunkedBatchEnds()
    model.fit(x, x[:, :1], batch_size=4, epochs=1, verbose=0, callbacks=[recorder])
    assert model._engine._functions[("device-loop-ok", 4)] is True
    assert recorder.batches == [0, 1, 5, 9]  # chunks of 1, 1, 4 and 4 steps


def test_a_dense_step_keeps_the_device_loop(linear, plain_sgd, squared_error_loss):
    model = Sequential([lamella.Input((4,)), linear(1)])
    model.compile(optimizer=plain_sgd(0.05), loss=squared_error_loss)
    x = np.ones((32, 4), np.float32)
    model.fit(x, x[:, :1], batch_size=8, epochs=1, verbose=0)
    assert model._engine._functions[("device-loop-ok", 8)] is True
    assert ("train-loop", 8) in model._engine._functions
