"""Affine transforms on numpy: identical to scipy.ndimage, which Keras 2 used."""

import numpy as np
import pytest
import scipy.ndimage as ndi

from lamella.preprocessing import image

X = np.random.default_rng(0).uniform(0, 255, size=(3, 9, 11)).astype(np.float32)


def _scipy_reference(x, theta, tx, ty, shear, zx, zy, fill_mode, order, cval=-3.0):
    angle, shear_angle = np.deg2rad(theta), np.deg2rad(shear)
    matrix = (np.array([[np.cos(angle), -np.sin(angle), 0], [np.sin(angle), np.cos(angle), 0], [0, 0, 1]])
              @ np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
              @ np.array([[1, -np.sin(shear_angle), 0], [0, np.cos(shear_angle), 0], [0, 0, 1]])
              @ np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]]))
    matrix = image.transform_matrix_offset_center(matrix, x.shape[1], x.shape[2])
    return np.stack([ndi.affine_transform(c, matrix[:2, :2], matrix[:2, 2], order=order, mode=fill_mode, cval=cval)
                     for c in x])


@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "reflect", "wrap"])
@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("params", [(30, 1.5, -2.2, 10, 1.2, 0.8), (-75, 4, 3, 0, 0.6, 1.7), (170, 0.5, 0, -20, 1, 1)])
# Rotations by exact multiples of 90 degrees put points on the image border up to
# float rounding, where either side is right: they are left out.
def test_affine_transform_equals_scipy(fill_mode, order, params):
    ours = image.apply_affine_transform(X, *params, fill_mode=fill_mode, cval=-3.0, order=order)
    np.testing.assert_allclose(ours, _scipy_reference(X, *params, fill_mode, order), rtol=1e-5, atol=1e-3)


def test_channels_last_layout_gives_the_same_image():
    first = image.apply_affine_transform(X, theta=20, tx=1, zx=0.9)
    last = image.apply_affine_transform(np.moveaxis(X, 0, -1), theta=20, tx=1, zx=0.9,
                                        row_axis=0, col_axis=1, channel_axis=2)
    np.testing.assert_allclose(np.moveaxis(last, -1, 0), first, rtol=1e-6)


def test_identity_flip_and_integer_shift():
    assert image.apply_affine_transform(X) is X
    shifted = image.apply_affine_transform(X, tx=2, order=0, fill_mode="constant", cval=0)
    np.testing.assert_array_equal(shifted[:, :-2], X[:, 2:])  # output row r reads input row r + 2
    np.testing.assert_array_equal(image.flip_axis(X, 2), X[:, :, ::-1])


def test_channel_shift_clips_to_the_image_range():
    x = np.stack([np.full((2, 2), 10.0), np.full((2, 2), 50.0)])
    shifted = image.apply_channel_shift(x, 30.0, channel_axis=0)
    np.testing.assert_array_equal(shifted[0], 40.0)
    np.testing.assert_array_equal(shifted[1], 50.0)


def test_brightness_is_pillows_enhancement():
    from PIL import Image, ImageEnhance

    x = np.random.default_rng(2).integers(0, 256, (6, 5, 3)).astype(np.float32)
    expected = np.asarray(ImageEnhance.Brightness(Image.fromarray(x.astype(np.uint8))).enhance(0.5), np.float32)
    np.testing.assert_array_equal(image.apply_brightness_shift(x, 0.5, scale=False), expected)


def test_random_helpers_follow_numpys_seed():
    x = np.moveaxis(X, 0, 0)
    for helper, arg in ((image.random_rotation, 40), (image.random_shear, 20), (image.random_zoom, (0.7, 1.3))):
        np.random.seed(5)
        a = helper(x, arg)
        np.random.seed(5)
        np.testing.assert_array_equal(helper(x, arg), a)
        assert not np.array_equal(a, x)
    np.random.seed(5)
    a = image.random_shift(x, 0.2, 0.2)
    np.random.seed(5)
    np.testing.assert_array_equal(image.random_shift(x, 0.2, 0.2), a)
    with pytest.raises(ValueError, match="zoom_range should be a tuple or list of two floats"):
        image.random_zoom(x, (0.5,))
    with pytest.raises(ValueError, match="fill_mode must be one of"):
        image.apply_affine_transform(x, theta=3, fill_mode="mirror")
