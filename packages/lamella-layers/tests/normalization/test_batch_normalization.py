"""``BatchNormalization`` against Keras 3: training and inference outputs, moving
statistics updated by ``fit`` inside the compiled step, masks, dtypes, errors."""

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import lamella
from lamella import layers
from lamella.testing import PlainSGD, check_layer, squared_error

VARIANCES = ("moving_variance",)


@pytest.mark.keras_parity
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("config, shape", [
    (dict(), (6, 4)),
    (dict(axis=1, momentum=0.9), (3, 4, 5, 2)),
    (dict(axis=-1, center=False, epsilon=1e-5), (3, 5, 4)),
    (dict(scale=False), (4, 2, 2, 3)),
], ids=["dense", "channels-first", "no-center", "no-scale"])
def test_batch_normalization_matches_keras(twins, random_input, config, shape, training):
    x = random_input(*shape) * 3 + 1
    ours, theirs = twins.make("BatchNormalization", config, shape, positive=VARIANCES)
    np.testing.assert_allclose(ours(x, training=training), theirs(x, training=training), rtol=1e-5, atol=1e-5)
    for mine, keras_weight in zip(ours.weights, theirs.weights):
        np.testing.assert_allclose(mine.numpy(), keras_weight.numpy(), rtol=1e-6, atol=1e-6)


def test_training_output_and_update_equal_the_formula(random_input):
    x = random_input(3, 2, 4, 3) * 2 + 0.5
    layer = layers.BatchNormalization(axis=[1, 3], momentum=0.8, epsilon=1e-3)
    out = np.asarray(layer(x, training=True))
    mean = x.mean(axis=(0, 2), keepdims=True)
    variance = x.var(axis=(0, 2), keepdims=True)
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(variance + 1e-3), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.2 * mean[0, :, 0, :], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.moving_variance.numpy(), 0.8 + 0.2 * variance[0, :, 0, :], rtol=1e-5)
    assert layer.gamma.shape == (2, 3)


@pytest.mark.keras_parity
def test_gradients_in_training_mode_match_keras(twins, random_input):
    x = random_input(5, 3) * 2
    ours, theirs = twins.make("BatchNormalization", dict(), x.shape, positive=VARIANCES)

    def gradient_of(layer):
        trainable = [v.value for v in layer.trainable_variables]
        non_trainable = [v.value for v in layer.non_trainable_variables]

        def loss(weights, inputs):
            outputs, _ = layer.stateless_call(weights, non_trainable, inputs, training=True)
            return jnp.sum(jnp.sin(3.0 * outputs))

        return jax.grad(loss, argnums=(0, 1))(trainable, jnp.asarray(x))

    (our_weights, our_x), (their_weights, their_x) = gradient_of(ours), gradient_of(theirs)
    np.testing.assert_allclose(our_x, their_x, rtol=1e-4, atol=1e-5)
    for a, b in zip(our_weights, their_weights):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_stateless_call_returns_the_updated_moving_statistics(random_input):
    layer = layers.BatchNormalization(momentum=0.5)
    x = random_input(8, 2) + 3
    layer.build(x.shape)
    state = [v.value for v in layer.non_trainable_variables]
    trainable = [v.value for v in layer.trainable_variables]
    _, new_state = jax.jit(lambda t, n, x: layer.stateless_call(t, n, x, training=True))(trainable, state, x)
    np.testing.assert_allclose(new_state[0], 0.5 * x.mean(0), rtol=1e-5)
    np.testing.assert_array_equal(layer.moving_mean.numpy(), np.zeros(2))  # the layer is untouched


def test_fit_updates_moving_statistics_and_predict_uses_them(random_input):
    x = random_input(256, 3) * np.array([1.0, 2.0, 0.5], np.float32) + np.array([5.0, -2.0, 0.0], np.float32)
    model = lamella.Sequential([lamella.Input((3,)), layers.BatchNormalization(momentum=0.9)])
    model.compile(optimizer=PlainSGD(0.0), loss=squared_error)
    model.fit(x, np.zeros_like(x), batch_size=32, epochs=4, verbose=0)
    bn = model.layers[0]
    # 32 updates with momentum 0.9 bring the moving mean within 0.9**32 ~ 3% of the batch means.
    np.testing.assert_allclose(bn.moving_mean.numpy(), x.mean(0), atol=0.3)
    np.testing.assert_allclose(bn.moving_variance.numpy(), x.var(0), rtol=0.3)
    gamma, beta, mean, variance = bn.get_weights()
    expected = (x - mean) / np.sqrt(variance + 1e-3) * gamma + beta
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-4, atol=1e-4)
    # Evaluating does not touch the statistics.
    model.evaluate(x, np.zeros_like(x), verbose=0)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), mean)


def test_a_frozen_layer_runs_in_inference_mode_even_in_training(random_input):
    layer = layers.BatchNormalization()
    x = random_input(6, 2) + 4
    layer.build(x.shape)
    layer.trainable = False
    out = layer(x, training=True)
    np.testing.assert_allclose(out, x / np.sqrt(1 + 1e-3), rtol=1e-6)
    np.testing.assert_array_equal(layer.moving_mean.numpy(), [0, 0])
    assert len(layer.non_trainable_weights) == 4


@pytest.mark.keras_parity
def test_mask_excludes_positions_from_the_statistics_like_keras(twins, random_input):
    x = random_input(2, 5, 3) * 2
    mask = np.array([[1, 1, 1, 0, 0], [1, 0, 1, 1, 0]], bool)
    ours, theirs = twins.make("BatchNormalization", dict(momentum=0.5), x.shape, positive=VARIANCES)
    np.testing.assert_allclose(ours(x, training=True, mask=mask), theirs(x, training=True, mask=mask),
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(ours.moving_mean.numpy(), theirs.moving_mean.numpy(), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="one axis less"):
        ours(x, training=True, mask=mask[0])


@pytest.mark.keras_parity
@pytest.mark.parametrize("dtype", ["float16", "mixed_float16", "mixed_bfloat16"])
def test_half_precision_policies_match_keras(twins, random_input, dtype):
    x = random_input(8, 3) * 4 + 2
    ours, theirs = twins.make("BatchNormalization", dict(dtype=dtype), x.shape, positive=VARIANCES)
    out, expected = ours(x, training=True), theirs(x, training=True)
    assert out.dtype == expected.dtype
    assert ours.moving_mean.dtype == theirs.moving_mean.dtype
    np.testing.assert_allclose(np.asarray(out, np.float32), np.asarray(expected, np.float32), rtol=1e-2, atol=1e-2)


def test_convnet_with_batch_normalization_trains(random_input):
    x = random_input(64, 8, 8, 1)
    y = (x.mean(axis=(1, 2, 3)) > 0).astype(np.float32)[:, None]
    model = lamella.Sequential([
        lamella.Input((8, 8, 1)), layers.Conv2D(4, 3, use_bias=False), layers.BatchNormalization(),
        layers.ReLU(), layers.GlobalAveragePooling2D(), layers.Dense(1),
    ])
    model.compile(optimizer=PlainSGD(0.1), loss=squared_error)
    history = model.fit(x, y, epochs=6, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert np.abs(model.layers[1].moving_mean.numpy()).sum() > 0


def test_batch_normalization_keeps_the_layer_contract():
    check_layer(layers.BatchNormalization, {"momentum": 0.9}, input_shape=(4, 3),
                expected_num_trainable_weights=2, expected_num_non_trainable_weights=2,
                registered_as="BatchNormalization")


@pytest.mark.keras_parity
def test_config_keys_match_keras_and_round_trip(keras):
    layer = layers.BatchNormalization(axis=1, momentum=0.9, gamma_regularizer="l2", beta_constraint="NonNeg")
    config = json.loads(json.dumps(layer.get_config()))
    theirs = set(keras.layers.BatchNormalization().get_config()) - {"renorm", "renorm_clipping", "renorm_momentum"}
    assert theirs <= set(config)
    assert layers.BatchNormalization.from_config(config).get_config() == layer.get_config()
    # A Keras config (with its renormalization keys) loads.
    keras_config = keras.layers.BatchNormalization(axis=1, momentum=0.9).get_config()
    keras_config["dtype"] = "float32"
    for key in ("beta_initializer", "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer"):
        keras_config[key] = keras_config[key]["class_name"]
    loaded = layers.BatchNormalization.from_config(keras_config)
    assert loaded.axis == 1 and loaded.momentum == 0.9


def test_batch_renormalization_is_refused_with_a_clear_error():
    with pytest.raises(ValueError, match=r"renorm=True.*not available"):
        layers.BatchNormalization(renorm=True)


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(momentum=1.5), "momentum=1.5"),
    (dict(epsilon=0), "epsilon=0"),
    (dict(axis="channels"), "axis='channels'"),
])
def test_bad_arguments_raise_quoting_them(kwargs, fragment):
    with pytest.raises(ValueError, match="BatchNormalization") as error:
        layers.BatchNormalization(**kwargs)
    assert fragment in str(error.value)


def test_axis_out_of_range_and_unknown_feature_size_raise():
    with pytest.raises(ValueError, match="axis"):
        layers.BatchNormalization(axis=3).build((None, 4))
    with pytest.raises(ValueError, match=r"known size.*\(None, None\)"):
        layers.BatchNormalization().build((None, None))
