"""Layers and models: the object model lamella is built from (Keras-style)."""
