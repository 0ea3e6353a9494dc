"""``imagenet_utils.preprocess_input``: the three pixel conventions, value by value."""

import numpy as np
import pytest

from lamella.applications import imagenet_utils
from lamella.backend import set_image_data_format


@pytest.fixture
def pixels():
    return np.random.default_rng(0).uniform(0, 255, size=(2, 4, 5, 3)).astype(np.float32)


def test_caffe_flips_to_bgr_and_subtracts_the_mean_pixel(pixels):
    out = imagenet_utils.preprocess_input(pixels, mode="caffe")
    assert out.dtype == np.float32 and out.shape == pixels.shape
    np.testing.assert_allclose(out[..., 0], pixels[..., 2] - 103.939, rtol=1e-6)
    np.testing.assert_allclose(out[..., 1], pixels[..., 1] - 116.779, rtol=1e-6)
    np.testing.assert_allclose(out[..., 2], pixels[..., 0] - 123.68, rtol=1e-6)


def test_tf_scales_to_minus_one_one(pixels):
    out = imagenet_utils.preprocess_input(pixels, mode="tf")
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, pixels / 127.5 - 1.0, rtol=1e-6)
    edges = imagenet_utils.preprocess_input(np.array([[[0.0, 127.5, 255.0]]]), mode="tf")
    np.testing.assert_allclose(edges, [[[-1.0, 0.0, 1.0]]])


def test_torch_normalizes_by_channel_mean_and_std(pixels):
    out = imagenet_utils.preprocess_input(pixels, mode="torch")
    assert out.dtype == np.float32
    mean, std = np.array([0.485, 0.456, 0.406]), np.array([0.229, 0.224, 0.225])
    np.testing.assert_allclose(out, (pixels / 255.0 - mean) / std, rtol=1e-5, atol=1e-6)


def test_channels_first_moves_the_channel_axis(pixels):
    first = np.moveaxis(pixels, -1, 1)
    out = imagenet_utils.preprocess_input(first, data_format="channels_first")
    expected = imagenet_utils.preprocess_input(pixels, data_format="channels_last")
    np.testing.assert_allclose(out, np.moveaxis(expected, -1, 1), rtol=1e-6)
    # One image (no batch axis) channels first.
    single = imagenet_utils.preprocess_input(first[0], data_format="channels_first")
    np.testing.assert_allclose(single, np.moveaxis(expected[0], -1, 0), rtol=1e-6)


def test_the_configured_image_data_format_is_the_default(pixels):
    set_image_data_format("channels_first")
    try:
        out = imagenet_utils.preprocess_input(np.moveaxis(pixels, -1, 1))
    finally:
        set_image_data_format("channels_last")
    assert out.shape == (2, 3, 4, 5)


def test_the_input_is_not_modified(pixels):
    before = pixels.copy()
    imagenet_utils.preprocess_input(pixels)
    np.testing.assert_array_equal(pixels, before)


def test_bad_mode_and_channel_count_are_named():
    with pytest.raises(ValueError, match="mode in .* Received: mode='caffee'"):
        imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 3)), mode="caffee")
    with pytest.raises(ValueError, match=r"3 color channels .* shape \(1, 2, 2, 4\)"):
        imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 4)))
