"""``Dropout``: inference identity, drop rate and scaling, seeds, ``noise_shape``,
purity under ``stateless_call``, errors and configs, against Keras 3.

Masks come from jax keys derived differently from Keras's, so masks are compared
by their statistics, never element by element.
"""

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import lamella
from lamella import layers

N = 200_000  # binomial std of the dropped fraction: sqrt(0.25 / N) ~ 0.0011


@pytest.fixture
def x():
    return np.random.default_rng(0).uniform(1.0, 2.0, size=(400, 500)).astype(np.float32)


# -- inference -----------------------------------------------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize("training", [None, False])
def test_outside_training_dropout_is_the_identity_like_keras(keras, x, training):
    kwargs = {} if training is None else {"training": training}
    out = layers.Dropout(0.5, seed=1)(x, **kwargs)
    np.testing.assert_array_equal(out, x)
    np.testing.assert_array_equal(out, keras.layers.Dropout(0.5, seed=1)(x, **kwargs))


def test_rate_zero_is_the_identity_even_in_training(x):
    np.testing.assert_array_equal(layers.Dropout(0.0)(x, training=True), x)


@pytest.mark.keras_parity
def test_rate_one_drops_everything_like_keras(keras, x):
    out = layers.Dropout(1.0)(x[:3], training=True)
    np.testing.assert_array_equal(out, keras.layers.Dropout(1.0)(x[:3], training=True))
    np.testing.assert_array_equal(out, np.zeros_like(x[:3]))
    dropout = layers.Dropout(1.0)
    gradient = jax.grad(lambda v: jnp.sum(dropout(v, training=True)))(jnp.asarray(x[:3]))
    np.testing.assert_array_equal(gradient, np.zeros_like(x[:3]))


# -- training ------------------------------------------------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize("rate", [0.1, 0.5, 0.8])
def test_training_drops_about_rate_and_scales_survivors_like_keras(keras, x, rate):
    out = np.asarray(layers.Dropout(rate, seed=3)(x, training=True))
    theirs = np.asarray(keras.layers.Dropout(rate, seed=3)(x, training=True))
    dropped = out == 0
    # ~10 binomial standard deviations: never flaky.
    assert abs(dropped.mean() - rate) < 0.01
    assert abs(dropped.mean() - (theirs == 0).mean()) < 0.015
    np.testing.assert_allclose(out[~dropped], x[~dropped] / (1 - rate), rtol=1e-6)
    np.testing.assert_allclose(theirs[theirs != 0], x[theirs != 0] / (1 - rate), rtol=1e-6)
    # Inverted dropout keeps the expected sum.
    np.testing.assert_allclose(out.mean(), x.mean(), rtol=0.01)


def test_gradient_is_the_scaled_mask(x):
    layer = layers.Dropout(0.25, seed=5)
    sample = jnp.asarray(x[:20])
    out, vjp = jax.vjp(lambda v: layer(v, training=True), sample)
    (gradient,) = vjp(jnp.ones_like(sample))
    np.testing.assert_allclose(gradient, np.where(np.asarray(out) == 0, 0.0, 1 / 0.75), rtol=1e-6)


def test_training_flag_of_a_model_call_reaches_dropout(x):
    model = lamella.Sequential([layers.Input((500,)), layers.Dropout(0.5, seed=2)])
    np.testing.assert_array_equal(model(x[:50]), x[:50])
    np.testing.assert_array_equal(model.predict(x[:50], verbose=0), x[:50])
    assert (np.asarray(model(x[:50], training=True)) == 0).mean() > 0.4


# -- seeds ---------------------------------------------------------------------------


def test_same_seed_gives_the_same_sequence_of_masks(x):
    first, second = layers.Dropout(0.5, seed=42), layers.Dropout(0.5, seed=42)
    sample = x[:30]
    a1, a2 = first(sample, training=True), first(sample, training=True)
    np.testing.assert_array_equal(a1, second(sample, training=True))
    np.testing.assert_array_equal(a2, second(sample, training=True))
    assert not np.array_equal(a1, a2)
    assert not np.array_equal(a1, layers.Dropout(0.5, seed=43)(sample, training=True))


def test_unseeded_layers_draw_different_masks_and_set_random_seed_repeats_them(x):
    sample = x[:30]
    assert not np.array_equal(
        layers.Dropout(0.5)(sample, training=True), layers.Dropout(0.5)(sample, training=True)
    )
    lamella.utils.set_random_seed(7)
    first = layers.Dropout(0.5)(sample, training=True)
    lamella.utils.set_random_seed(7)
    np.testing.assert_array_equal(layers.Dropout(0.5)(sample, training=True), first)


def test_stateless_call_is_pure_and_returns_the_advanced_seed_state(x):
    layer = layers.Dropout(0.5, seed=9)
    sample = jnp.asarray(x[:30])
    state = [v.value for v in layer.non_trainable_variables]

    @jax.jit
    def step(state, inputs):
        return layer.stateless_call([], state, inputs, training=True)

    out1, state1 = step(state, sample)
    again, _ = step(state, sample)
    out2, _ = step(state1, sample)
    np.testing.assert_array_equal(out1, again)
    assert not np.array_equal(out1, out2)
    # The layer's own state is untouched by stateless calls.
    np.testing.assert_array_equal(layer.non_trainable_variables[0].value, state[0])
    assert layer.weights == []


# -- noise_shape ---------------------------------------------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize("noise_shape", [(40, 1, 30), (None, 1, None), (1, 20, 1)])
def test_noise_shape_broadcasts_one_mask_like_keras(keras, noise_shape):
    x = np.ones((40, 20, 30), np.float32)
    for layer in (layers.Dropout(0.5, noise_shape=noise_shape, seed=4),
                  keras.layers.Dropout(0.5, noise_shape=noise_shape, seed=4)):
        kept = np.asarray(layer(x, training=True)) != 0
        for axis, size in enumerate(noise_shape):
            if size == 1:
                # The mask is constant along each broadcast axis.
                assert (kept == kept.take([0], axis=axis)).all()
        assert 0.4 < kept.mean() < 0.6


def test_noise_shape_of_another_rank_raises_naming_both_shapes():
    layer = layers.Dropout(0.5, noise_shape=(None, 1), name="drop")
    with pytest.raises(ValueError, match=r"'drop'.*\(None, 1\).*\(2, 3, 4\)"):
        layer(np.ones((2, 3, 4), np.float32), training=True)


# -- errors and configs --------------------------------------------------------------


@pytest.mark.keras_parity
@pytest.mark.parametrize("rate", [-0.1, 1.5, float("nan"), "0.5", None, True])
def test_invalid_rate_raises_value_error_quoting_it(keras, rate):
    with pytest.raises(ValueError) as error:
        layers.Dropout(rate)
    assert f"rate={rate!r}" in str(error.value)
    if isinstance(rate, float):
        with pytest.raises(ValueError):
            keras.layers.Dropout(rate)


@pytest.mark.keras_parity
@pytest.mark.parametrize("noise_shape", ["abc", (0, 2), (2.5,), 5, (-1, None)])
def test_invalid_noise_shape_raises_value_error_like_keras(keras, noise_shape):
    with pytest.raises(ValueError, match="noise_shape"):
        keras.layers.Dropout(0.5, noise_shape=noise_shape)
    with pytest.raises(ValueError, match="noise_shape"):
        layers.Dropout(0.5, noise_shape=noise_shape)


@pytest.mark.keras_parity
def test_config_matches_keras_and_round_trips(keras, x):
    original = layers.Dropout(np.float32(0.25), noise_shape=[None, 1], seed=11, name="drop")
    config = json.loads(json.dumps(original.get_config()))
    theirs = keras.layers.Dropout(0.25, noise_shape=[None, 1], seed=11, name="drop").get_config()
    for key in ("name", "trainable", "rate", "seed"):
        assert config[key] == theirs[key]
    assert tuple(config["noise_shape"]) == tuple(theirs["noise_shape"])
    rebuilt = layers.Dropout.from_config(config)
    assert rebuilt.noise_shape == (None, 1) and rebuilt.rate == 0.25
    # Same seed: the rebuilt layer draws the original's masks, call after call.
    for _ in range(2):
        np.testing.assert_array_equal(
            rebuilt(x[:10], training=True), original(x[:10], training=True)
        )


@pytest.mark.keras_parity
def test_shapes_and_masking_match_keras(keras):
    ours, theirs = layers.Dropout(0.3), keras.layers.Dropout(0.3)
    for shape in [(None, 3), (2, None, 5)]:
        assert ours.compute_output_shape(shape) == theirs.compute_output_shape(shape)
    assert tuple(ours(lamella.Input((7, 2))).shape) == (None, 7, 2)
    assert ours.supports_masking is theirs.supports_masking is True
