"""An MNIST-like dataset drawn on the spot: digits rendered with Pillow.

Each sample is a 28x28 grayscale image of a digit 0-9 in Pillow's built-in font,
randomly scaled, rotated, sheared and shifted, with a little noise, flattened to 784
values in ``[0, 1]``. It is learnable (an MLP reaches well over 90% accuracy) and
needs no download.
"""

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFont

SIZE = 28


def _glyphs(font_size=22):
    """One centred, white-on-black image per digit."""
    font = ImageFont.load_default(size=font_size)
    glyphs = []
    for digit in range(10):
        image = Image.new("L", (SIZE, SIZE), 0)
        draw = ImageDraw.Draw(image)
        left, top, right, bottom = draw.textbbox((0, 0), str(digit), font=font)
        x = (SIZE - (right - left)) / 2 - left
        y = (SIZE - (bottom - top)) / 2 - top
        draw.text((x, y), str(digit), fill=255, font=font)
        glyphs.append(image)
    return glyphs


def _distort(glyph, rng):
    """The glyph under a random affine map (scale, rotation, shear, shift)."""
    scale = rng.uniform(0.75, 1.1)
    angle = math.radians(rng.uniform(-15, 15))
    shear = rng.uniform(-0.3, 0.3)
    dx, dy = rng.uniform(-3, 3, size=2)
    cos, sin = math.cos(angle), math.sin(angle)
    # Inverse map (output pixel -> input pixel) about the image centre.
    a, b = cos / scale, (sin + shear) / scale
    d, e = -sin / scale, cos / scale
    c = SIZE / 2 - a * (SIZE / 2 + dx) - b * (SIZE / 2 + dy)
    f = SIZE / 2 - d * (SIZE / 2 + dx) - e * (SIZE / 2 + dy)
    return glyph.transform((SIZE, SIZE), Image.Transform.AFFINE, (a, b, c, d, e, f), resample=Image.Resampling.BILINEAR)


def load_data(train_samples=20000, test_samples=4000, seed=0):
    """``(x_train, y_train), (x_test, y_test)``: float32 images ``(n, 784)`` in
    ``[0, 1]`` and integer labels ``(n,)``."""
    rng = np.random.default_rng(seed)
    glyphs = [_glyphs(size) for size in (18, 22, 26)]
    total = train_samples + test_samples
    labels = rng.integers(0, 10, size=total)
    images = np.empty((total, SIZE * SIZE), dtype=np.float32)
    for index, label in enumerate(labels):
        glyph = glyphs[rng.integers(len(glyphs))][label]
        pixels = np.asarray(_distort(glyph, rng), dtype=np.float32) / 255.0
        images[index] = pixels.reshape(-1)
    images += rng.normal(0.0, 0.05, size=images.shape).astype(np.float32)
    np.clip(images, 0.0, 1.0, out=images)
    return (images[:train_samples], labels[:train_samples]), (images[train_samples:], labels[train_samples:])
