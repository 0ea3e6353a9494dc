"""``ConvLSTM2D``: against Keras 3, masks, channels first, statefulness, errors."""

import numpy as np
import pytest

import lamella
from lamella import layers
from lamella.testing import check_layer


def _frames(shape=(2, 3, 6, 5, 2), seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "kwargs",
    [{}, {"padding": "same", "return_sequences": True}, {"strides": 2, "return_state": True},
     {"dilation_rate": 2, "go_backwards": True, "return_sequences": True},
     {"kernel_size": (3, 1), "use_bias": False}],
    ids=lambda k: "-".join(k) or "default",
)
def test_conv_lstm2d_matches_keras(keras, copy_weights, assert_same_outputs, kwargs):
    x = _frames()
    kwargs = {"kernel_size": 3, **kwargs}
    ours, theirs = layers.ConvLSTM2D(4, **kwargs), keras.layers.ConvLSTM2D(4, **kwargs)
    expected = theirs(x)
    ours.build(x.shape)
    copy_weights(theirs, ours)
    out = ours(x)
    assert_same_outputs(out, expected, atol=2e-5)
    shape = ours.compute_output_shape(x.shape)
    assert tuple(shape[0] if kwargs.get("return_state") else shape) == np.shape(out[0] if kwargs.get("return_state") else out)


def test_conv_lstm2d_masked_last_frame_equals_the_shorter_sequence():
    # (Keras 3.15 cannot mask convolutional LSTMs: its mask does not broadcast.)
    x = _frames()
    mask = np.ones((2, 3), bool)
    mask[0, 2] = False
    layer = layers.ConvLSTM2D(3, 3, padding="same")
    out = np.asarray(layer(x, mask=mask))
    np.testing.assert_allclose(out[0], np.asarray(layer(x[:1, :2]))[0], atol=1e-5)
    np.testing.assert_allclose(out[1], np.asarray(layer(x[1:]))[0], atol=1e-5)


def test_conv_lstm2d_channels_first_equals_channels_last():
    x = _frames()
    last = layers.ConvLSTM2D(3, 3, return_sequences=True)
    first = layers.ConvLSTM2D(3, 3, return_sequences=True, data_format="channels_first")
    last.build(x.shape)
    first.build(np.moveaxis(x, -1, 2).shape)
    first.set_weights(last.get_weights())
    np.testing.assert_allclose(
        np.moveaxis(np.asarray(first(np.moveaxis(x, -1, 2))), 2, -1), last(x), atol=1e-5
    )


def test_stateful_conv_lstm2d_continues_across_predict_batches():
    x = _frames((1, 4, 5, 5, 1), seed=3)
    whole = layers.ConvLSTM2D(2, 3, padding="same", return_sequences=True)
    expected = np.asarray(whole(x))
    model = lamella.Sequential([
        lamella.Input((2, 5, 5, 1), batch_size=1),
        layers.ConvLSTM2D(2, 3, padding="same", return_sequences=True, stateful=True),
    ])
    model.layers[0].set_weights(whole.get_weights())
    out = model.predict(np.concatenate([x[:, :2], x[:, 2:]]), verbose=0)
    np.testing.assert_allclose(np.concatenate([out[:1], out[1:]], axis=1), expected, atol=1e-5)


def test_conv_lstm2d_keeps_the_layer_contract():
    check_layer(layers.ConvLSTM2D, {"filters": 2, "kernel_size": 3}, input_shape=(2, 3, 5, 5, 1),
                expected_output_shape=(2, 3, 3, 2), registered_as="ConvLSTM2D", rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "kwargs, message",
    [({"filters": 0, "kernel_size": 3}, "ConvLSTM2D expected a positive integer for filters"),
     ({"filters": 2, "kernel_size": (3,)}, "tuple of 2 positive integers for kernel_size"),
     ({"filters": 2, "kernel_size": 3, "padding": "full"}, "padding 'valid' or 'same'"),
     ({"filters": 2, "kernel_size": 3, "data_format": "nhwc"}, "data_format 'channels_last'")],
)
def test_conv_lstm2d_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.ConvLSTM2D(**kwargs)


def test_conv_lstm2d_rejects_frames_smaller_than_the_kernel():
    with pytest.raises(ValueError, match="does not fit the input's spatial size"):
        layers.ConvLSTM2D(2, 5)(np.ones((1, 2, 3, 3, 1), np.float32))
