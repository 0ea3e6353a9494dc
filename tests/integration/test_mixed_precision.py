"""Mixed precision end to end: policies set globally or per layer, float32
variables, float16 loss scaling in the compiled step (an overflowing step is
skipped and the scale halves), Keras 3 parity, no float64 in the step, and a
convnet trained under mixed_bfloat16 to float32's accuracy."""

import jax.numpy as jnp
import numpy as np
import pytest

import lamella
from lamella import layers, mixed_precision, optimizers
from lamella.testing import run_on_devices

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


@pytest.fixture(autouse=True)
def _float32_afterwards():
    yield
    mixed_precision.set_global_policy(None)


def _data(rows=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, 6)).astype("float32")
    labels = (x[:, :3].sum(1) > 0).astype(int) + (x[:, 3] > 0.5)
    return x, np.eye(3, dtype="float32")[labels]


def _mlp(module, last_dtype="float32"):
    return module.Sequential([
        module.Input((6,)),
        module.layers.Dense(16, activation="relu"),
        module.layers.Dense(3, activation="softmax", dtype=last_dtype),
    ])


def test_global_policy_makes_float32_variables_and_low_precision_compute():
    mixed_precision.set_dtype_policy("mixed_bfloat16")
    assert mixed_precision.dtype_policy() == mixed_precision.Policy("mixed_bfloat16")
    model = _mlp(lamella)
    hidden, output = model.layers
    assert (hidden.compute_dtype, hidden.variable_dtype) == ("bfloat16", "float32")
    assert output.compute_dtype == "float32"
    x, y = _data()
    assert hidden(x).dtype == jnp.bfloat16 and model.predict(x, verbose=0).dtype == np.float32
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    assert isinstance(model.optimizer, optimizers.Adam)  # no loss scaling for bfloat16
    model.fit(x, y, epochs=2, verbose=0)
    assert all(v.value.dtype == jnp.float32 for v in model.weights + model.optimizer.variables if v.dtype == "float32")
    assert {str(v.value.dtype) for v in model.weights} == {"float32"}
    # A per-layer policy wins over the global one; a pure bfloat16 policy stores bfloat16.
    assert layers.Dense(2, dtype="float32").compute_dtype == "float32"
    assert layers.Dense(2, dtype="bfloat16").variable_dtype == "bfloat16"


def test_softmax_outputs_are_float32_under_a_mixed_policy():
    # No float32 override on the last layer: its softmax still returns float32.
    mixed_precision.set_global_policy("mixed_float16")
    lamella.utils.set_random_seed(0)
    model = _mlp(lamella, last_dtype=None)
    assert model.layers[-1].compute_dtype == "float16"
    x, _ = _data()
    probabilities = model.predict(x * 40, verbose=0)
    assert probabilities.dtype == np.float32
    np.testing.assert_allclose(probabilities.sum(-1), 1.0, atol=1e-6)
    # float16 logits whose softmax would need more than float16's range.
    logits = jnp.asarray([[12.0, 0.0, -12.0]], jnp.float16)
    expected = np.exp([12.0, 0.0, -12.0]) / np.exp([12.0, 0.0, -12.0]).sum()
    for probs in (layers.Softmax(dtype="mixed_float16")(logits), lamella.activations.softmax(logits)):
        assert probs.dtype == jnp.float32
        np.testing.assert_allclose(np.asarray(probs)[0], expected, rtol=1e-3)
    assert lamella.ops.log_softmax(logits).dtype == jnp.float32
    # Attention normalises in float32 and returns to the layer's dtype for the matmul.
    attention = layers.MultiHeadAttention(num_heads=2, key_dim=4, dtype="mixed_bfloat16")
    query = np.random.default_rng(1).normal(size=(2, 3, 8)).astype("float32")
    out, scores = attention(query, query, return_attention_scores=True)
    assert out.dtype == jnp.bfloat16 and scores.dtype == jnp.bfloat16
    np.testing.assert_allclose(np.asarray(scores, "float32").sum(-1), 1.0, atol=1e-2)


def test_mixed_float16_fit_trains_with_dynamic_loss_scaling():
    mixed_precision.set_global_policy("mixed_float16")
    lamella.utils.set_random_seed(0)
    model = _mlp(lamella)
    model.compile(optimizer=optimizers.SGD(0.2), loss="categorical_crossentropy", metrics=["accuracy"])
    assert isinstance(model.optimizer, mixed_precision.LossScaleOptimizer)
    x, y = _data(256)
    history = model.fit(x, y, batch_size=16, epochs=8, verbose=0)
    assert history.history["loss"][-1] < 0.6 * history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.8
    assert {str(v.value.dtype) for v in model.weights} == {"float32"}


def test_an_overflowing_float16_step_is_skipped_and_the_scale_halves():
    mixed_precision.set_global_policy("mixed_float16")
    model = _mlp(lamella)
    optimizer = mixed_precision.LossScaleOptimizer(optimizers.SGD(0.1), initial_scale=1024.0, dynamic_growth_steps=2)
    model.compile(optimizer=optimizer, loss="categorical_crossentropy")
    x, y = _data(8)
    model.train_on_batch(x, y)
    assert float(optimizer.dynamic_scale.numpy()) == 1024.0
    before = [w.copy() for w in model.get_weights()]
    # 1e5 is beyond float16 (max 65504): the inputs become inf, the gradients NaN.
    loss = model.train_on_batch(np.full_like(x, 1e5), y)
    assert not np.isfinite(loss)
    for kept, now in zip(before, model.get_weights()):
        np.testing.assert_array_equal(kept, now)
    assert float(optimizer.dynamic_scale.numpy()) == 512.0
    assert int(optimizer.iterations.numpy()) == 1
    # Training goes on: finite steps update the weights and, two in a row, double the scale.
    model.train_on_batch(x, y)
    assert not np.array_equal(before[0], model.get_weights()[0])
    model.train_on_batch(x, y)
    assert float(optimizer.dynamic_scale.numpy()) == 1024.0 and int(optimizer.iterations.numpy()) == 3
    # The same inside fit (one compiled loop over the epoch): the bad second batch
    # is skipped (3 updates for 4 batches), the scale halves, and the two finite
    # batches after it double it again; the weights stay finite.
    bad = np.concatenate([x, np.full_like(x, 1e5), x, x])
    model.fit(bad, np.concatenate([y] * 4), batch_size=8, epochs=1, shuffle=False, verbose=0)
    assert all(np.isfinite(w).all() for w in model.get_weights())
    assert int(optimizer.iterations.numpy()) == 6
    assert float(optimizer.dynamic_scale.numpy()) == 1024.0 and int(optimizer.step_counter.numpy()) == 0


@pytest.mark.keras_parity
@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16", "bfloat16", "float32"])
def test_training_under_a_policy_matches_keras(keras, policy):
    x, y = _data(64)
    keras.config.set_dtype_policy(policy)
    mixed_precision.set_global_policy(policy)
    try:
        theirs = _mlp(keras, last_dtype=None)
        ours = _mlp(lamella, last_dtype=None)
    finally:
        keras.config.set_dtype_policy("float32")
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    assert [str(w.dtype) for w in ours.weights] == [str(w.dtype) for w in theirs.weights]
    out_ours, out_theirs = ours.predict(x, verbose=0), np.asarray(theirs.predict(x, verbose=0))
    # Keras 3 returns the softmax in the 16-bit compute dtype; lamella in float32.
    assert out_ours.dtype == np.float32
    tolerance = {"float32": 1e-6, "mixed_bfloat16": 1e-2, "bfloat16": 1e-2, "mixed_float16": 2e-3}[policy]
    np.testing.assert_allclose(out_ours.astype("float32"), out_theirs.astype("float32"), atol=tolerance)
    for model in (theirs, ours):
        model.compile(optimizer="sgd", loss="categorical_crossentropy")
    assert type(ours.optimizer).__name__ == type(theirs.optimizer).__name__
    theirs.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    ours.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(np.asarray(a, "float32"), np.asarray(b, "float32"), atol=5 * tolerance)


_NO_FLOAT64 = """
import jax, jax.numpy as jnp, numpy as np
import lamella
from lamella import layers, mixed_precision

def strong_float64(jaxpr, seen):
    # Every float64 value of the program, nested jaxprs included; Python scalars
    # (weakly typed) take the dtype of what they meet and are not counted.
    found = []
    def walk(j):
        for var in [*j.invars, *j.constvars]:
            if var.aval.dtype == np.float64 and not var.aval.weak_type:
                found.append(str(var.aval))
        for eqn in j.eqns:
            for var in eqn.outvars:
                dtype = getattr(var.aval, "dtype", None)
                seen.add((eqn.primitive.name, str(dtype)))
                if dtype == np.float64 and not var.aval.weak_type:
                    found.append(f"{eqn.primitive.name}: {var.aval}")
            for value in eqn.params.values():
                for sub in value if isinstance(value, (list, tuple)) else [value]:
                    inner = getattr(sub, "jaxpr", sub)
                    if hasattr(inner, "eqns"):
                        walk(inner)
    walk(jaxpr.jaxpr)
    return found

results = {}
for policy in ("mixed_float16", "mixed_bfloat16"):
    mixed_precision.set_global_policy(policy)
    model = lamella.Sequential([lamella.Input((6,)), layers.Dense(16, activation="relu"), layers.Dense(3, activation="softmax", dtype="float32")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(0).normal(size=(32, 6))           # float64 on purpose
    y = np.eye(3)[np.arange(32) % 3]
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    engine = model._engine
    live = (*engine.layout.read(engine.initial_metric_state()), jnp.zeros((), jnp.int32))
    data = model._make_data(engine, x, y, None, None)
    perm = engine.placement.put_permutation(np.arange(32))
    seen = set()
    # .trace, not make_jaxpr: the step is a top-level jit with compiler options.
    jaxpr = engine.train_function(8).trace(live, data.as_tree(), perm).jaxpr
    results[policy] = {
        "float64": strong_float64(jaxpr, seen),
        "dot_dtypes": sorted({d for p, d in seen if p == "dot_general"}),
        "state_dtypes": sorted({str(a.dtype) for a in jax.tree.leaves(live)}),
    }
report({"x64": bool(jax.config.jax_enable_x64), **results})
"""


def test_no_float64_in_the_mixed_precision_step_even_with_x64_enabled(monkeypatch):
    # Without x64, jax cannot make float64 at all; with it, a stray numpy float64
    # constant would turn computations float64. The step is checked with it on.
    monkeypatch.setenv("JAX_ENABLE_X64", "1")
    result = run_on_devices(_NO_FLOAT64, device_count=1)
    assert result["x64"] is True
    for policy, low in (("mixed_float16", "float16"), ("mixed_bfloat16", "bfloat16")):
        assert result[policy]["float64"] == []
        # The walk reached the matmuls: low precision forward and backward, float32 in the last layer.
        assert low in result[policy]["dot_dtypes"] and "float32" in result[policy]["dot_dtypes"]
        assert "float64" not in result[policy]["state_dtypes"]


def test_mixed_bfloat16_trains_the_convnet_to_the_float32_accuracy():
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = (digits.images / 16.0).astype("float32")[..., None]
    y = lamella.utils.to_categorical(digits.target, 10)
    loss, accuracy = {}, {}
    for policy in ("float32", "mixed_bfloat16"):
        mixed_precision.set_global_policy(policy)
        lamella.utils.set_random_seed(5)
        model = lamella.Sequential([
            lamella.Input((8, 8, 1)), layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(2), layers.Flatten(),
            layers.Dense(10, activation="softmax", dtype="float32"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x[:1400], y[:1400], batch_size=32, epochs=10, verbose=0)
        if policy != "float32":
            assert model.layers[0].kernel.value.dtype == jnp.float32
            assert model.layers[0](x[:2]).dtype == jnp.bfloat16
        loss[policy], accuracy[policy] = model.evaluate(x[1400:], y[1400:], verbose=0)
    assert accuracy["float32"] > 0.8
    assert abs(accuracy["mixed_bfloat16"] - accuracy["float32"]) < 0.04
    # Not the same computation: bfloat16 rounding moves the loss a little.
    assert loss["mixed_bfloat16"] != loss["float32"]
    assert loss["mixed_bfloat16"] == pytest.approx(loss["float32"], rel=0.1)


def test_the_mixed_precision_guide_examples_run():
    import contextlib
    import io
    import pathlib
    import re

    page = pathlib.Path(__file__).resolve().parents[2] / "docs" / "mixed-precision.md"
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.S)
    namespace, output = {}, io.StringIO()
    with contextlib.redirect_stdout(output):
        for block in blocks:
            exec(compile(block, str(page), "exec"), namespace)  # noqa: S102 - our own docs
    assert output.getvalue().split("\n")[:3] == ["bfloat16 float32", "LossScaleOptimizer", "32768.0"]
