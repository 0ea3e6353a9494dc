"""Generated images of shapes, the data set of the embedded demo model.

Each image is one filled shape (circle, square, triangle, star, cross, hexagon) drawn
with Pillow at a random size, position and rotation, in a random colour on a random
background (a plain colour, a two-colour gradient or noise). The shape's colour is
redrawn until it differs clearly from the background, so the label is always visible.
"""

import math

import numpy as np
from PIL import Image, ImageDraw

SHAPES = ("circle", "square", "triangle", "star", "cross", "hexagon")

# Minimum RGB distance between shape and background mean colour: below this a shape
# can melt into its background and the label becomes guesswork.
_MIN_CONTRAST = 120.0


def _polygon(cx, cy, radius, corners, angle, inner=None):
    """Vertices of a regular polygon (or a star when ``inner`` is a radius ratio)."""
    points = []
    steps = corners * 2 if inner else corners
    for i in range(steps):
        r = radius * (inner if inner and i % 2 else 1.0)
        theta = angle + 2 * math.pi * i / steps
        points.append((cx + r * math.cos(theta), cy + r * math.sin(theta)))
    return points


def _cross(cx, cy, radius, angle):
    w = radius * 0.38
    outline = [(-w, -radius), (w, -radius), (w, -w), (radius, -w), (radius, w), (w, w),
               (w, radius), (-w, radius), (-w, w), (-radius, w), (-radius, -w), (-w, -w)]
    cos, sin = math.cos(angle), math.sin(angle)
    return [(cx + x * cos - y * sin, cy + x * sin + y * cos) for x, y in outline]


def _background(rng, size):
    kind = rng.integers(3)
    a = rng.integers(0, 256, 3).astype(np.float32)
    if kind == 0:
        pixels = np.broadcast_to(a, (size, size, 3))
    elif kind == 1:
        b = rng.integers(0, 256, 3).astype(np.float32)
        t = np.linspace(0.0, 1.0, size, dtype=np.float32)
        ramp = t[:, None] if rng.integers(2) else t[None, :]
        ramp = np.broadcast_to(ramp, (size, size))[..., None]
        pixels = a * (1 - ramp) + b * ramp
    else:
        noise = rng.normal(0.0, 40.0, (size, size, 3)).astype(np.float32)
        pixels = a + noise
    pixels = np.clip(pixels, 0, 255).astype(np.uint8)
    return Image.fromarray(np.ascontiguousarray(pixels), "RGB"), pixels.reshape(-1, 3).mean(0)


def draw_shape(shape, rng, size=64):
    """One RGB ``PIL.Image`` of ``shape`` (a name from ``SHAPES``).

    Args:
        shape: the shape's name.
        rng: a ``numpy.random.Generator`` (the image depends only on its state).
        size: width and height in pixels.

    Returns:
        A ``size`` x ``size`` RGB image.

    Example:

    >>> import numpy as np
    >>> draw_shape("star", np.random.default_rng(0)).size
    (64, 64)
    """
    if shape not in SHAPES:
        raise ValueError(f"draw_shape expected a shape in {SHAPES}. Received: shape={shape!r}")
    image, mean = _background(rng, size)
    while True:
        colour = rng.integers(0, 256, 3)
        if np.linalg.norm(colour - mean) >= _MIN_CONTRAST:
            break
    radius = size * rng.uniform(0.22, 0.42)
    margin = radius * 1.05
    cx, cy = rng.uniform(margin, size - margin, 2)
    angle = rng.uniform(0, 2 * math.pi)
    draw = ImageDraw.Draw(image)
    fill = tuple(int(c) for c in colour)
    if shape == "circle":
        draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=fill)
    elif shape == "square":
        draw.polygon(_polygon(cx, cy, radius, 4, angle), fill=fill)
    elif shape == "triangle":
        draw.polygon(_polygon(cx, cy, radius, 3, angle), fill=fill)
    elif shape == "star":
        draw.polygon(_polygon(cx, cy, radius, 5, angle, inner=0.45), fill=fill)
    elif shape == "cross":
        draw.polygon(_cross(cx, cy, radius, angle), fill=fill)
    else:
        draw.polygon(_polygon(cx, cy, radius, 6, angle), fill=fill)
    return image


def make_dataset(count, seed=0, size=64):
    """``(images, labels)``: ``count`` uint8 images ``(count, size, size, 3)`` and
    int32 labels indexing ``SHAPES``, balanced over the classes."""
    rng = np.random.default_rng(seed)
    labels = np.arange(count, dtype=np.int32) % len(SHAPES)
    rng.shuffle(labels)
    images = np.empty((count, size, size, 3), np.uint8)
    for i, label in enumerate(labels):
        images[i] = np.asarray(draw_shape(SHAPES[label], rng, size))
    return images, labels
