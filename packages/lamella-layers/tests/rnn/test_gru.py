"""``GRU``: outputs against Keras 3 (both reset_after forms), configs and errors."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer

VARIANTS = [
    {},
    {"return_sequences": True},
    {"return_state": True},
    {"go_backwards": True, "return_sequences": True},
    {"unroll": True},
]


@pytest.mark.keras_parity
@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: "-".join(v) or "default")
@pytest.mark.parametrize("masked", [False, True], ids=["no-mask", "mask"])
def test_gru_matches_keras_with_same_weights(
    keras, sequences, copy_weights, assert_same_outputs, reset_after, variant, masked
):
    x, mask = sequences
    ours = layers.GRU(5, reset_after=reset_after, **variant)
    theirs = keras.layers.GRU(5, reset_after=reset_after, **variant)
    theirs.build(x.shape)
    ours.build(x.shape)
    copy_weights(theirs, ours)
    m = mask if masked else None
    assert_same_outputs(ours(x, mask=m), theirs(x, mask=m))


@pytest.mark.keras_parity
@pytest.mark.parametrize("reset_after, bias_shape", [(True, (2, 9)), (False, (9,))])
def test_gru_bias_shape_follows_reset_after_as_in_keras(keras, reset_after, bias_shape):
    ours = layers.GRU(3, reset_after=reset_after)
    ours.build((None, 4, 2))
    theirs = keras.layers.GRU(3, reset_after=reset_after)
    theirs.build((None, 4, 2))
    assert [w.shape for w in ours.weights] == [(2, 9), (3, 9), bias_shape]
    assert [tuple(w.shape) for w in theirs.weights] == [w.shape for w in ours.weights]


def test_gru_without_bias_matches_the_formula():
    x = np.random.default_rng(1).normal(size=(2, 3, 4)).astype(np.float32)
    layer = layers.GRU(2, use_bias=False, return_sequences=True)
    out = np.asarray(layer(x))
    kernel, recurrent = (w for w in layer.get_weights())
    sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    h = np.zeros((2, 2), np.float32)
    for t in range(3):
        xz, xr, xn = np.split(x[:, t] @ kernel, 3, axis=-1)
        rz, rr, rn = np.split(h @ recurrent, 3, axis=-1)
        z, r = sigmoid(xz + rz), sigmoid(xr + rr)
        h = z * h + (1 - z) * np.tanh(xn + r * rn)
        np.testing.assert_allclose(out[:, t], h, rtol=1e-5, atol=1e-6)


def test_gru_keeps_the_layer_contract():
    check_layer(
        layers.GRU, {"units": 3, "reset_after": False}, input_shape=(2, 5, 4),
        expected_output_shape=(2, 3), registered_as="GRU", rtol=1e-5, atol=1e-5,
    )


def test_gru_rejects_bad_arguments():
    with pytest.raises(ValueError, match="GRU expected True or False for reset_after"):
        layers.GRU(2, reset_after="yes")
    with pytest.raises(ValueError, match="GRU expected a positive integer for units"):
        layers.GRU(-1)
