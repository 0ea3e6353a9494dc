"""load_img / img_to_array / array_to_img / save_img: Pillow's own pixels, and Keras 3."""

import io

import numpy as np
import pytest
from PIL import Image

from lamella.preprocessing.image import array_to_img, img_to_array, load_img, save_img


@pytest.fixture
def png(tmp_path):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(20, 30, 3), dtype=np.uint8)
    path = tmp_path / "picture.png"
    Image.fromarray(pixels).save(path)
    return path, pixels


def test_loaded_pixels_are_pillows(png):
    path, pixels = png
    x = img_to_array(load_img(path))
    assert x.shape == (20, 30, 3) and x.dtype == np.float32
    np.testing.assert_array_equal(x, pixels)
    gray = img_to_array(load_img(str(path), color_mode="grayscale"))
    np.testing.assert_array_equal(gray[:, :, 0], np.asarray(Image.open(path).convert("L")))
    rgba = img_to_array(load_img(path, color_mode="rgba"))
    assert rgba.shape == (20, 30, 4) and (rgba[:, :, 3] == 255).all()
    with open(path, "rb") as f:
        np.testing.assert_array_equal(img_to_array(load_img(io.BytesIO(f.read()))), pixels)


@pytest.mark.keras_parity
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear", "bicubic", "lanczos"])
@pytest.mark.parametrize("keep_aspect_ratio", [False, True])
def test_resizing_matches_keras(keras, png, interpolation, keep_aspect_ratio):
    path, _ = png
    kwargs = {"target_size": (12, 10), "interpolation": interpolation, "keep_aspect_ratio": keep_aspect_ratio}
    ours = img_to_array(load_img(path, **kwargs))
    theirs = keras.utils.img_to_array(keras.utils.load_img(path, **kwargs))
    assert ours.shape == (12, 10, 3)
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.keras_parity
@pytest.mark.parametrize("shape", [(5, 4, 3), (5, 4, 1), (5, 4, 4)])
@pytest.mark.parametrize("scale", [True, False])
def test_array_to_img_matches_keras(keras, shape, scale):
    x = np.random.default_rng(1).uniform(0, 200, size=shape).astype(np.float32)
    ours, theirs = array_to_img(x, scale=scale), keras.utils.array_to_img(x, scale=scale)
    assert ours.mode == theirs.mode
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
    big = array_to_img(np.full((2, 2, 1), 1000.0), scale=False)
    assert big.mode == "I"


@pytest.mark.keras_parity
def test_channels_first_round_trip_matches_keras(keras, png):
    path, pixels = png
    ours = img_to_array(load_img(path), data_format="channels_first")
    np.testing.assert_array_equal(ours, keras.utils.img_to_array(keras.utils.load_img(path), data_format="channels_first"))
    np.testing.assert_array_equal(np.asarray(array_to_img(ours, data_format="channels_first", scale=False)), pixels)


def test_save_img_writes_atomically_and_reads_back(tmp_path, png):
    _, pixels = png
    target = tmp_path / "out.png"
    save_img(target, pixels.astype(np.float32), scale=False)
    np.testing.assert_array_equal(img_to_array(load_img(target)), pixels)
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
    with pytest.warns(UserWarning, match="does not support RGBA"):
        save_img(tmp_path / "out.jpg", np.zeros((4, 4, 4)), file_format="jpg")
    with pytest.raises(ValueError, match="cannot tell the image format"):
        save_img(tmp_path / "out.unknown", pixels)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda p: load_img(p, color_mode="cmyk"), "color_mode must be 'grayscale', 'rgb' or 'rgba'. Received: color_mode='cmyk'"),
        (lambda p: load_img(p, target_size=(3, 3), interpolation="cubic"), "Invalid interpolation method 'cubic'"),
        (lambda p: load_img(3), "expects a path or a binary file. Received: int"),
        (lambda p: array_to_img(np.zeros((2, 2))), "rank 3 .*shape: \\(2, 2\\)"),
        (lambda p: array_to_img(np.zeros((2, 2, 2))), "Unsupported channel number: 2"),
    ],
)
def test_errors_are_named(png, call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call(png[0])
