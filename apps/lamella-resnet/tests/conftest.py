"""Shared fixtures: the embedded demo model (loaded once) and generated shape images."""

import io
import struct
import zlib

import numpy as np
import pytest

from lamella_resnet.shapes import SHAPES, draw_shape


@pytest.fixture(scope="session")
def demo_classifier():
    from lamella_resnet.classifier import ImageClassifier

    return ImageClassifier.demo()


@pytest.fixture(scope="session")
def shape_images():
    """Two freshly drawn images per shape (a seed the training script never uses)."""
    rng = np.random.default_rng(20261202)
    return [(shape, draw_shape(shape, rng)) for shape in SHAPES for _ in range(2)]


def _png_bytes(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _bomb_png(width, height):
    """A PNG header claiming ``width`` x ``height`` pixels, with almost no data."""
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


@pytest.fixture(scope="session")
def png_bytes():
    """Encodes a PIL image as PNG bytes."""
    return _png_bytes


@pytest.fixture(scope="session")
def bomb_png():
    """Makes a tiny PNG whose header claims a huge size (a decompression bomb)."""
    return _bomb_png
