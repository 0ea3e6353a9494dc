"""Fixtures of the image tests."""

import numpy as np
import pytest
from PIL import Image


@pytest.fixture
def image_folder(tmp_path):
    """dark/ and bright/ folders of 12 noisy 8x8 PNGs each (plus a non-image)."""
    rng = np.random.default_rng(0)
    for name, low, high in (("dark", 0, 110), ("bright", 145, 256)):
        folder = tmp_path / name
        (folder / "nested").mkdir(parents=True)
        for i in range(12):
            pixels = rng.integers(low, high, size=(8, 8, 3), dtype=np.uint8)
            target = folder / "nested" if i % 4 == 0 else folder
            Image.fromarray(pixels).save(target / f"{i:02d}.png")
        (folder / "notes.txt").write_text("not an image")
    return tmp_path
