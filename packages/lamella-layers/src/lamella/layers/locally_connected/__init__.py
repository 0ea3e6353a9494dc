"""Locally connected layers: convolutions whose weights are not shared (Keras 2)."""
