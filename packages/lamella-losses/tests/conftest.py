"""Helpers shared by the loss and metric tests."""

import types

import numpy as np
import pytest

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def sample_weight(kind, values_shape, rng):
    """A sample weight of the given kind for per-sample ``values`` of a shape.

    ``"batch"``: one weight per sample, ``(batch,)``; ``"column"``: ``(batch, 1)``;
    ``"full"``: one weight per value; ``"scalar"``: one weight for everything;
    ``None``: no weight. Some weights are 0, as masks are.
    """
    if kind is None:
        return None
    batch = values_shape[0] if values_shape else 1
    if kind == "batch":
        weight = rng.uniform(0.0, 2.0, size=(batch,))
        weight[0] = 0.0
    elif kind == "column":
        weight = rng.uniform(0.0, 2.0, size=(batch, 1))
    elif kind == "full":
        weight = rng.uniform(0.0, 2.0, size=values_shape)
    elif kind == "scalar":
        weight = np.float32(0.7)
    else:
        raise ValueError(kind)
    return np.asarray(weight, np.float32)


def assert_close(actual, expected, rtol=1e-6, atol=1e-6):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


def check_loss_class(keras, cls, y_true, y_pred, weight=None, reductions=REDUCTIONS, rtol=1e-6, atol=1e-6, **options):
    """The lamella loss class ``cls`` and Keras's, built with ``options``, give the
    same values for every reduction in ``reductions``."""
    from lamella import losses

    for reduction in reductions:
        actual = getattr(losses, cls)(reduction=reduction, **options)(y_true, y_pred, sample_weight=weight)
        expected = getattr(keras.losses, cls)(reduction=reduction, **options)(y_true, y_pred, sample_weight=weight)
        assert_close(actual, expected, rtol=rtol, atol=atol)


def check_loss_config(keras, cls, **options):
    """The config holds every option, equals Keras's on the keys Keras writes, and
    rebuilds an equal loss; a Keras config rebuilds it too."""
    from lamella import losses

    loss = getattr(losses, cls)(name="custom", reduction="sum", **options)
    config = loss.get_config()
    keras_config = getattr(keras.losses, cls)(name="custom", reduction="sum", **options).get_config()
    for key, value in keras_config.items():
        if key not in ("fn", "dtype"):
            assert config[key] == value, key
    for key, value in options.items():
        assert config[key] == value, key
    assert getattr(losses, cls).from_config(config).get_config() == config
    rebuilt = losses.deserialize(losses.serialize(loss))
    assert type(rebuilt) is type(loss) and rebuilt.get_config() == config


def check_metric(keras, cls, batches, rtol=1e-6, atol=1e-6, **options):
    """The lamella metric ``cls`` and Keras's, built with ``options``, agree after
    every batch of ``(y_true, y_pred, sample_weight)``, after ``reset_state`` and
    after updating again; the jitted stateless update ends at the same result.
    Returns the lamella metric."""
    import jax

    from lamella import metrics

    ours, theirs = getattr(metrics, cls)(**options), getattr(keras.metrics, cls)(**options)
    for y_true, y_pred, weight in batches:
        ours.update_state(y_true, y_pred, sample_weight=weight)
        theirs.update_state(y_true, y_pred, sample_weight=weight)
        assert_close(ours.result(), theirs.result(), rtol=rtol, atol=atol)
    final = np.asarray(ours.result())
    ours.reset_state()
    theirs.reset_state()
    assert_close(ours.result(), theirs.result(), rtol=rtol, atol=atol)
    y_true, y_pred, weight = batches[0]
    ours.update_state(y_true, y_pred, sample_weight=weight)
    theirs.update_state(y_true, y_pred, sample_weight=weight)
    assert_close(ours.result(), theirs.result(), rtol=rtol, atol=atol)

    pure = getattr(metrics, cls)(**options)
    pure.build_state(np.shape(batches[0][1]))
    state = pure.initial_state()
    update = jax.jit(lambda s, t, p, w: pure.stateless_update_state(s, t, p, sample_weight=w))
    for y_true, y_pred, weight in batches:
        state = update(state, y_true, y_pred, weight)
    assert_close(jax.jit(pure.stateless_result)(state), final, rtol=max(rtol, 1e-5), atol=atol)
    return ours


def check_metric_config(keras, cls, **options):
    """The config round-trips and holds what Keras's holds."""
    from lamella import metrics

    options.setdefault("name", "m")  # Keras numbers default names per session
    metric = getattr(metrics, cls)(**options)
    config = metric.get_config()
    keras_config = getattr(keras.metrics, cls)(**options).get_config()
    for key, value in keras_config.items():
        if key in config and hasattr(value, "__len__") and not isinstance(value, str):
            assert list(np.ravel(config[key])) == list(np.ravel(value)), key
        elif key in config:
            assert config[key] == value, key
    assert set(keras_config) - {"fn"} <= set(config)
    clone = getattr(metrics, cls).from_config(config)
    assert clone.get_config() == config
    rebuilt = metrics.deserialize(metrics.serialize(metric))
    assert type(rebuilt) is type(metric) and rebuilt.get_config() == config


@pytest.fixture(scope="session")
def helpers():
    """The functions above, for test modules (which cannot import a conftest)."""
    return types.SimpleNamespace(
        REDUCTIONS=REDUCTIONS, sample_weight=sample_weight, assert_close=assert_close,
        check_loss_class=check_loss_class, check_loss_config=check_loss_config,
        check_metric=check_metric, check_metric_config=check_metric_config,
    )
