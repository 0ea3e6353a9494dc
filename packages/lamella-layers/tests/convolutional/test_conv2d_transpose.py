"""``Conv2DTranspose`` against Keras 3: output sizes with and without
output_padding, both data formats, gradients, errors."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lamella import layers
from lamella.testing import check_layer

CONFIGS = [
    dict(kernel_size=3),
    dict(kernel_size=3, strides=2, padding="same"),
    dict(kernel_size=(2, 3), strides=(2, 3), padding="valid"),
    dict(kernel_size=3, strides=2, padding="same", output_padding=1),
    dict(kernel_size=4, strides=3, padding="valid", output_padding=(2, 0)),
    dict(kernel_size=3, dilation_rate=2, padding="same", use_bias=False, activation="relu"),
]


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("config", CONFIGS, ids=[str(i) for i in range(len(CONFIGS))])
def test_conv2d_transpose_matches_keras_with_same_weights(twins, random_input, config, data_format):
    x = random_input(2, 4, 5, 3)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare("Conv2DTranspose", dict(filters=2, data_format=data_format, **config), x)


@pytest.mark.keras_parity
def test_conv2d_transpose_gradients_match_keras(twins, random_input):
    twins.compare_gradients("Conv2DTranspose", dict(filters=2, kernel_size=3, strides=2, padding="same"),
                            random_input(2, 3, 3, 2))


def test_it_is_the_adjoint_of_the_convolution_with_the_same_kernel(random_input):
    # <conv(x), y> == <x, conv_transpose(y)> when both use one kernel.
    x, y = random_input(1, 6, 6, 2), random_input(1, 3, 3, 4, seed=1)
    conv = layers.Conv2D(4, 2, strides=2, use_bias=False)
    transpose = layers.Conv2DTranspose(2, 2, strides=2, use_bias=False)
    conv.build(x.shape)
    transpose.build(y.shape)
    transpose.set_weights(conv.get_weights())  # (2, 2, in=2, out=4) is (.., filters, in) here
    lhs = float(np.sum(np.asarray(conv(x)) * y))
    rhs = float(np.sum(x * np.asarray(transpose(y))))
    np.testing.assert_allclose(lhs, rhs, rtol=1e-5)


def test_conv2d_transpose_keeps_the_layer_contract():
    check_layer(layers.Conv2DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
                input_shape=(2, 3, 3, 1), expected_output_shape=(2, 6, 6, 2),
                registered_as="Conv2DTranspose")
    assert layers.get("Deconvolution2D") is layers.Conv2DTranspose


@settings(max_examples=15, deadline=None)
@given(size=st.integers(2, 6), kernel=st.integers(1, 4), stride=st.integers(1, 3),
       padding=st.sampled_from(["valid", "same"]), pad=st.integers(0, 2), use_pad=st.booleans())
def test_compute_output_shape_matches_the_actual_output(size, kernel, stride, padding, pad, use_pad):
    output_padding = min(pad, stride - 1) if use_pad else None
    layer = layers.Conv2DTranspose(2, kernel, strides=stride, padding=padding, output_padding=output_padding)
    shape = (1, size, size + 1, 2)
    out = layer(np.ones(shape, np.float32))
    assert layer.compute_output_shape(shape) == tuple(out.shape)


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(filters=2, kernel_size=3, strides=2, output_padding=2), "output_padding=2"),
    (dict(filters=2, kernel_size=3, padding="causal"), "padding='causal'"),
    (dict(filters=2, kernel_size=3, output_padding=-1), "output_padding=-1"),
])
def test_bad_arguments_raise_naming_them(kwargs, fragment):
    with pytest.raises(ValueError, match="Conv2DTranspose") as error:
        layers.Conv2DTranspose(**kwargs)
    assert fragment in str(error.value)


def test_output_size_formula_for_every_combination():
    for size, kernel, stride in itertools.product([3, 4], [1, 2, 3], [1, 2]):
        valid = layers.Conv2DTranspose(1, kernel, strides=stride).compute_output_shape((1, size, size, 1))
        same = layers.Conv2DTranspose(1, kernel, strides=stride, padding="same").compute_output_shape(
            (1, size, size, 1))
        assert valid[1] == size * stride + max(kernel - stride, 0)
        assert same[1] == size * stride
