"""Unique, readable object names: ``dense``, ``dense_1``, ``dense_2``..."""

import re

from lamella.backend import global_state


def to_snake_case(name):
    """``'Conv2DTranspose'`` -> ``'conv2d_transpose'``; ``'MaxNorm'`` -> ``'max_norm'``."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name)
    return name.lower()


def uniquify(prefix):
    """Returns ``prefix`` the first time, then ``prefix_1``, ``prefix_2``, ..."""
    counts = global_state.setdefault("object_names", dict)
    count = counts.get(prefix, 0)
    counts[prefix] = count + 1
    return prefix if count == 0 else f"{prefix}_{count}"


def auto_name(class_name):
    return uniquify(to_snake_case(class_name))
