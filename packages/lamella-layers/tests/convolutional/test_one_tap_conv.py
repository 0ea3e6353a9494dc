"""Convolutions with one-tap (1x1) kernels, which ``BaseConv`` computes as a
subsample (when strided) and a product over the channels (or, grouped, an unstrided
convolution): the values and both gradients equal those of ``lax``'s convolution, in
every rank, padding and data format."""

import jax
import numpy as np
import pytest

from lamella import layers
from lamella.layers.convolutional.base_conv import spatial_dimension_numbers

CASES = [
    (layers.Conv1D, (2, 9, 3), dict()),
    (layers.Conv2D, (2, 7, 8, 3), dict(padding="same")),
    (layers.Conv3D, (1, 5, 4, 6, 2), dict()),
    (layers.Conv2D, (2, 5, 6, 4), dict(groups=2)),
    (layers.Conv1D, (2, 9, 3), dict(strides=2)),
    (layers.Conv1D, (2, 10, 3), dict(strides=3, padding="same")),
    (layers.Conv1D, (2, 7, 3), dict(strides=2, padding="causal")),
    (layers.Conv2D, (2, 7, 8, 3), dict(strides=2)),
    (layers.Conv2D, (2, 7, 8, 3), dict(strides=(3, 2), padding="same")),
    (layers.Conv2D, (2, 5, 6, 4), dict(strides=(1, 2), groups=2)),
    (layers.Conv3D, (1, 5, 4, 6, 2), dict(strides=(2, 1, 3), padding="same")),
    (layers.DepthwiseConv2D, (2, 7, 7, 3), dict(strides=2, depth_multiplier=2)),
]


def lax_reference(layer, x, kernel, groups):
    """The convolution as ``lax`` computes it with the layer's strides and padding."""
    # A one-tap causal window pads nothing: "VALID".
    padding = "VALID" if layer.padding == "causal" else layer.padding.upper()
    return jax.lax.conv_general_dilated(
        x, kernel, window_strides=layer.strides, padding=padding,
        dimension_numbers=spatial_dimension_numbers(layer.rank, layer.data_format),
        feature_group_count=groups,
    )


def channels_first(shape):
    return (shape[0], shape[-1], *shape[1:-1])


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("cls, shape, config", CASES, ids=lambda v: getattr(v, "__name__", None))
def test_values_and_gradients_equal_lax_convolution(cls, shape, config, data_format, random_input):
    if data_format == "channels_first":
        shape = channels_first(shape)
    x = random_input(*shape)
    if cls is layers.DepthwiseConv2D:
        layer = cls(kernel_size=1, use_bias=False, data_format=data_format, **config)
    else:
        layer = cls(filters=4, kernel_size=1, use_bias=False, data_format=data_format, **config)
    layer.build(x.shape)
    kernel = layer.get_weights()[0]
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[1]
    if cls is layers.DepthwiseConv2D:
        grouped = kernel.reshape(*kernel.shape[:-2], 1, -1)
        groups = channels
    else:
        grouped, groups = kernel, layer.groups

    def through_layer(inputs, weights):
        return layer.convolve(inputs, weights, groups)

    def reference(inputs, weights):
        return lax_reference(layer, inputs, weights, groups)

    np.testing.assert_allclose(through_layer(x, grouped), reference(x, grouped), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(layer(x), reference(x, grouped), rtol=1e-6, atol=1e-6)

    cotangent = random_input(*reference(x, grouped).shape, seed=1)
    loss = lambda f: lambda inputs, weights: (f(inputs, weights) * cotangent).sum()
    got = jax.grad(loss(through_layer), argnums=(0, 1))(x, grouped)
    want = jax.grad(loss(reference), argnums=(0, 1))(x, grouped)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_separable_pointwise_step_equals_a_one_by_one_convolution(data_format, random_input):
    shape = (2, 6, 5, 3) if data_format == "channels_last" else (2, 3, 6, 5)
    x = random_input(*shape)
    separable = layers.SeparableConv2D(4, 3, depth_multiplier=2, data_format=data_format)
    separable.build(x.shape)
    depthwise_kernel, pointwise_kernel, bias = separable.get_weights()
    depthwise = separable.depthwise(x, depthwise_kernel)
    dims = spatial_dimension_numbers(2, data_format)
    expected = jax.lax.conv_general_dilated(depthwise, pointwise_kernel, (1, 1), "VALID", dimension_numbers=dims)
    expected = expected + (bias if data_format == "channels_last" else bias[:, None, None])
    np.testing.assert_allclose(separable(x), expected, rtol=1e-5, atol=1e-5)
