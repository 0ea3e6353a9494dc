"""``TimeDistributed``: over layers and over a whole Sequential model."""

import numpy as np
import pytest

import lamella
from lamella import layers
from lamella.testing import PlainSGD, squared_error


@pytest.mark.keras_parity
def test_time_distributed_dense_matches_keras(keras):
    x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype(np.float32)
    ours, theirs = layers.TimeDistributed(layers.Dense(4)), keras.layers.TimeDistributed(keras.layers.Dense(4))
    theirs.build(x.shape)
    ours.build(x.shape)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    np.testing.assert_allclose(ours(x), theirs(x), rtol=1e-5, atol=1e-5)


@pytest.mark.keras_parity
@pytest.mark.parametrize("inner", ["conv", "model"])
def test_time_distributed_conv_and_model_match_keras(keras, inner):
    x = np.random.default_rng(5).normal(size=(2, 3, 6, 6, 2)).astype(np.float32)

    def make(api):
        if inner == "conv":
            return api.layers.Conv2D(3, 3, strides=2, padding="same", activation="relu")
        return api.Sequential([
            api.Input((6, 6, 2)), api.layers.Conv2D(3, 3, activation="relu"),
            api.layers.MaxPooling2D(2), api.layers.Flatten(), api.layers.Dense(4),
        ])

    ours, theirs = layers.TimeDistributed(make(lamella)), keras.layers.TimeDistributed(make(keras))
    theirs.build(x.shape)
    ours.build(x.shape)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    expected = np.asarray(theirs(x))
    np.testing.assert_allclose(ours(x), expected, rtol=1e-5, atol=1e-5)
    assert ours.compute_output_shape(x.shape) == expected.shape


def test_time_distributed_applies_the_layer_to_each_timestep():
    x = np.random.default_rng(1).normal(size=(2, 4, 3, 3)).astype(np.float32)
    inner = layers.Flatten()
    out = np.asarray(layers.TimeDistributed(inner)(x))
    assert out.shape == (2, 4, 9)
    np.testing.assert_allclose(out[:, 2], np.asarray(inner(x[:, 2])))


def test_time_distributed_turns_an_image_model_into_a_video_model():
    # The seed's pattern: a per-frame model, then a recurrent layer over its outputs.
    frame_model = lamella.Sequential([
        lamella.Input((4, 4, 1)), layers.Flatten(), layers.Dense(6, activation="relu"),
    ])
    video = lamella.Sequential([
        lamella.Input((3, 4, 4, 1)), layers.TimeDistributed(frame_model), layers.LSTM(2),
    ])
    assert video.output_shape == (None, 2)
    clips = np.random.default_rng(2).normal(size=(5, 3, 4, 4, 1)).astype(np.float32)
    per_frame = np.stack([np.asarray(frame_model(clips[:, t])) for t in range(3)], axis=1)
    np.testing.assert_allclose(video.layers[0](clips), per_frame, atol=1e-6)
    np.testing.assert_allclose(video.predict(clips, verbose=0), video.layers[1](per_frame), atol=1e-5)
    copy = lamella.Sequential.from_config(video.get_config())
    copy.set_weights(video.get_weights())
    np.testing.assert_allclose(copy.predict(clips, verbose=0), video.predict(clips, verbose=0), atol=1e-6)


def test_time_distributed_passes_the_time_mask_on():
    model = lamella.Sequential([
        lamella.Input((4,)), layers.Embedding(9, 3, mask_zero=True),
        layers.TimeDistributed(layers.Dense(3)), layers.SimpleRNN(2),
    ])
    ids = np.array([[5, 6, 0, 0]])
    np.testing.assert_allclose(model(ids), model(ids[:, :2]), atol=1e-6)


def test_time_distributed_rejects_bad_inputs():
    with pytest.raises(ValueError, match="expected a Layer instance"):
        layers.TimeDistributed("dense")
    with pytest.raises(ValueError, match="needs inputs of rank 3 or more"):
        layers.TimeDistributed(layers.Dense(2))(np.ones((2, 3), np.float32))


@pytest.mark.keras_parity
@pytest.mark.parametrize("inner", ["BatchNormalization", "model"])
def test_time_distributed_batch_normalization_trains_per_timestep_as_keras(keras, inner):
    # Keras 3 runs the wrapped layer once per timestep: in training, batch
    # normalization uses each frame's statistics and updates its moving
    # statistics once per frame, in order.
    rng = np.random.default_rng(3)
    x = (rng.normal(size=(4, 3, 5)) * np.arange(1, 4)[None, :, None] + np.arange(3)[None, :, None])
    x = x.astype(np.float32)

    def make(api):
        if inner == "BatchNormalization":
            return api.layers.BatchNormalization(momentum=0.5)
        return api.Sequential([api.Input((5,)), api.layers.Dense(4), api.layers.BatchNormalization(momentum=0.5)])

    ours = layers.TimeDistributed(make(lamella))
    theirs = keras.layers.TimeDistributed(make(keras))
    theirs.build(x.shape)
    ours.build(x.shape)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    np.testing.assert_allclose(ours(x, training=True), theirs(x, training=True), rtol=1e-5, atol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours(x, training=False), theirs(x, training=False), rtol=1e-5, atol=1e-5)


def test_time_distributed_batch_normalization_in_fit_moves_statistics_once_per_frame():
    # Inside the compiled step, each frame's update sees the previous one's.
    rng = np.random.default_rng(4)
    x = (rng.normal(size=(4, 3, 2)) + np.arange(3)[None, :, None]).astype(np.float32)
    model = lamella.Sequential([lamella.Input((3, 2)), layers.TimeDistributed(layers.BatchNormalization(momentum=0.5))])
    model.compile(optimizer=PlainSGD(0.0), loss=squared_error)
    model.fit(x, np.zeros_like(x), batch_size=4, epochs=1, shuffle=False, verbose=0)
    mean, variance = np.zeros(2), np.ones(2)
    for t in range(3):
        mean = 0.5 * mean + 0.5 * x[:, t].mean(0)
        variance = 0.5 * variance + 0.5 * x[:, t].var(0)
    bn = model.layers[0].layer
    np.testing.assert_allclose(bn.moving_mean.numpy(), mean, rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), variance, rtol=1e-5)
