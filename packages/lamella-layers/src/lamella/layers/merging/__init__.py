"""Merging layers: combine a list of tensors (sum, product, concatenation, dot, ...)."""
