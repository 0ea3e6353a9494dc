"""``lamella.preprocessing`` (distribution lamella-preprocessing): text, sequence
and image utilities, on numpy and Pillow only."""

from lamella.preprocessing import image, sequence, text
from lamella.preprocessing._version import __version__

__all__ = ["__version__", "image", "sequence", "text"]
