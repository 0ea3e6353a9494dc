"""Helpers shared by the optimizer tests: identical starting weights and gradient
sequences run through a lamella optimizer and through Keras 3's."""

import numpy as np
import pytest

# Shapes of the weights every parity run updates: a vector, a matrix and a scalar,
# so that per-tensor clipping and the global norm both see several tensors.
SHAPES = ((3,), (2, 4), ())


def make_problem(seed=0, steps=10, shapes=SHAPES, scale=1.0):
    """Initial weights and ``steps`` lists of gradients (float32, fixed seed)."""
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=s).astype(np.float32) for s in shapes]
    gradients = [
        [(scale * rng.normal(size=s)).astype(np.float32) for s in shapes]
        for _ in range(steps)
    ]
    return weights, gradients


def run_lamella(optimizer, weights, gradients):
    """The weights after ``optimizer.apply`` of each gradient list, eagerly."""
    import lamella

    variables = [lamella.Variable(w.copy()) for w in weights]
    for grads in gradients:
        optimizer.apply(grads, variables)
    return [np.asarray(v.numpy()) for v in variables]


def run_lamella_stateless(optimizer, weights, gradients):
    """The same run through ``stateless_apply`` (jitted, as the engine calls it)."""
    import jax
    import lamella

    variables = [lamella.Variable(w.copy()) for w in weights]
    optimizer.build(variables)
    step = jax.jit(optimizer.stateless_apply)
    optimizer_values = [v.value for v in optimizer.variables]
    values = [v.value for v in variables]
    for grads in gradients:
        values, optimizer_values = step(optimizer_values, grads, values)
    return [np.asarray(v) for v in values], optimizer_values


def run_keras(keras, optimizer, weights, gradients):
    variables = [keras.Variable(w.copy()) for w in weights]
    for grads in gradients:
        optimizer.apply(grads, variables)
    return [np.asarray(v.value) for v in variables]


def assert_weights_close(actual, expected, rtol=1e-6, atol=1e-6):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol)


def check_config(keras, name, options, keys):
    """``get_config``/``from_config`` round-trips ``options``; Keras builds the same
    optimizer from lamella's config, and lamella from Keras's."""
    from lamella import optimizers

    optimizer = getattr(optimizers, name)(learning_rate=0.003, **options)
    config = optimizer.get_config()
    clone = getattr(optimizers, name).from_config(config)
    assert clone.get_config() == config
    assert optimizers.deserialize(optimizers.serialize(optimizer)).get_config() == config
    keras_config = getattr(keras.optimizers, name).from_config(dict(config)).get_config()
    for key in ("learning_rate", *keys):
        assert keras_config[key] == (pytest.approx(config[key]) if isinstance(config[key], float) else config[key]), key
    from_keras = getattr(optimizers, name).from_config(getattr(keras.optimizers, name)(learning_rate=0.003, **options).get_config())
    assert from_keras.get_config() == {**config, "name": from_keras.name}


@pytest.fixture(scope="session")
def helpers():
    """The functions above, for test modules (which cannot import a conftest)."""
    import types

    return types.SimpleNamespace(
        make_problem=make_problem, run_lamella=run_lamella,
        run_lamella_stateless=run_lamella_stateless, run_keras=run_keras,
        assert_weights_close=assert_weights_close, check_config=check_config,
    )


@pytest.fixture
def check_parity(keras):
    """``check_parity(name, steps=..., **options)``: the lamella optimizer named
    ``name`` and Keras's, built with the same options, end at the same weights after
    1 and after ``steps`` steps; the jitted ``stateless_apply`` ends there too."""
    from lamella import optimizers

    def check(name, steps=10, seed=0, scale=1.0, **options):
        weights, gradients = make_problem(seed=seed, steps=steps, scale=scale)
        for count in sorted({1, steps}):
            expected = run_keras(
                keras, getattr(keras.optimizers, name)(**options), weights, gradients[:count]
            )
            actual = run_lamella(
                getattr(optimizers, name)(**options), weights, gradients[:count]
            )
            assert_weights_close(actual, expected)
        stateless, _ = run_lamella_stateless(
            getattr(optimizers, name)(**options), weights, gradients
        )
        assert_weights_close(stateless, actual)
        return actual

    return check
