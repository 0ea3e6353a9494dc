import io

import numpy as np
import pytest
from PIL import Image

from lamella_resnet.image_input import ImageInputError, decode_image


def _png(size=(20, 10), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, 128).save(buffer, format="PNG")
    return buffer.getvalue()


def test_decode_image_returns_rgb_pixels_of_a_good_png():
    image = decode_image(_png((20, 10), "L"))
    assert image.mode == "RGB" and image.size == (20, 10)
    assert np.asarray(image)[0, 0].tolist() == [128, 128, 128]


def test_decode_image_rejects_bytes_that_are_not_an_image():
    with pytest.raises(ImageInputError, match="not an image") as caught:
        decode_image(b"hello, this is text")
    assert caught.value.status == 400


def test_decode_image_rejects_a_truncated_png():
    data = _png((200, 200))
    noisy = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (200, 200, 3), np.uint8)).save(noisy, "PNG")
    with pytest.raises(ImageInputError, match="truncated or corrupt") as caught:
        decode_image(noisy.getvalue()[: len(noisy.getvalue()) // 2])
    assert caught.value.status == 400
    assert decode_image(data).size == (200, 200)


def test_decode_image_rejects_too_many_bytes_before_decoding():
    with pytest.raises(ImageInputError, match="limit is 100 bytes") as caught:
        decode_image(_png((64, 64)) + b"\0" * 200, max_bytes=100)
    assert caught.value.status == 413


@pytest.mark.parametrize("side", [10_000, 60_000])
def test_decode_image_refuses_a_decompression_bomb_from_its_header(side, bomb_png):
    data = bomb_png(side, side)
    assert len(data) < 200  # claims up to 3.6 billion pixels in a few bytes
    with pytest.raises(ImageInputError, match="decompression bomb") as caught:
        decode_image(data)
    assert caught.value.status == 413


def test_decode_image_applies_the_pixel_limit_given():
    with pytest.raises(ImageInputError, match="64x64 = 4096 pixels; the limit is 1000"):
        decode_image(_png((64, 64)), max_pixels=1000)


def test_decode_image_rejects_an_empty_body():
    with pytest.raises(ImageInputError, match="no image"):
        decode_image(b"")
