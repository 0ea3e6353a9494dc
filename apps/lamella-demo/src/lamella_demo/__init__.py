"""lamella-demo: the seed MLP trained on generated digits."""

__version__ = "0.1.0"
