"""Validation of the hyper-parameters many layers share.

Every check raises ``ValueError`` naming the layer, the argument, what was expected
and what was received, so ``Conv2D(32, kernel_size=0)`` fails at construction with
a message the user can act on.
"""

import numbers

from lamella.backend import standardize_data_format


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def positive_int(layer, name, value):
    """``value`` as a positive ``int``."""
    if not _is_int(value) or value <= 0:
        raise ValueError(
            f"{layer} expected a positive integer for {name}. Received: {name}={value!r}"
        )
    return int(value)


def int_tuple(layer, name, value, n, allow_zero=False):
    """An int or a sequence of ``n`` ints as a tuple of ``n`` positive ints (or
    non-negative ints with ``allow_zero``)."""
    low = 0 if allow_zero else 1
    kind = "non-negative" if allow_zero else "positive"
    if _is_int(value):
        values = (int(value),) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            values = None
        if values is None or isinstance(value, str) or len(values) != n or not all(
            _is_int(v) for v in values
        ):
            raise ValueError(
                f"{layer} expected {name} to be a {kind} integer or a tuple of {n} "
                f"{kind} integers. Received: {name}={value!r}"
            )
        values = tuple(int(v) for v in values)
    if any(v < low for v in values):
        raise ValueError(
            f"{layer} expected {name} to be a {kind} integer or a tuple of {n} "
            f"{kind} integers. Received: {name}={value!r}"
        )
    return values


def one_of(layer, name, value, choices):
    """A lower-cased string among ``choices``."""
    if not isinstance(value, str) or value.lower() not in choices:
        expected = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{layer} expected {name} to be one of {expected}. Received: {name}={value!r}")
    return value.lower()


def data_format(layer, value):
    """``'channels_last'`` or ``'channels_first'``; ``None`` is the configured default."""
    if value is not None:
        one_of(layer, "data_format", value, ("channels_last", "channels_first"))
    return standardize_data_format(value)


def rate(layer, value, name="rate", closed_right=False):
    """A fraction in ``[0, 1)`` (``[0, 1]`` with ``closed_right``) as a plain number."""
    bad = isinstance(value, bool) or not isinstance(value, numbers.Real)
    if not bad:
        bad = not (0 <= value <= 1 if closed_right else 0 <= value < 1)
    if bad:
        interval = "[0, 1]" if closed_right else "[0, 1)"
        raise ValueError(f"{layer} expected {name} in {interval}. Received: {name}={value!r}")
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def non_negative_number(layer, name, value, allow_none=False):
    """A finite number ``>= 0`` as a Python float (or ``None`` with ``allow_none``)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < float("inf"):
        raise ValueError(
            f"{layer} expected a non-negative number for {name}. Received: {name}={value!r}"
        )
    return float(value)


def number(layer, name, value):
    """A finite real number as a Python float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value or abs(value) == float("inf"):
        raise ValueError(f"{layer} expected a finite number for {name}. Received: {name}={value!r}")
    return float(value)


def axis_list(layer, name, value):
    """An int or a sequence of ints as a tuple (or an int when one was given)."""
    if _is_int(value):
        return int(value)
    try:
        values = tuple(value)
    except TypeError:
        values = None
    if values is None or isinstance(value, str) or not values or not all(_is_int(v) for v in values):
        raise ValueError(
            f"{layer} expected {name} to be an integer or a list of integers. "
            f"Received: {name}={value!r}"
        )
    return tuple(int(v) for v in values)


def normalize_axes(layer, name, axes, ndim):
    """``axes`` (an int or a tuple) as a sorted tuple of non-negative axes of an
    ``ndim``-rank input; the batch axis 0 is not allowed."""
    axes = (axes,) if _is_int(axes) else tuple(axes)
    out = []
    for axis in axes:
        positive = axis + ndim if axis < 0 else axis
        if not 0 < positive < ndim:
            raise ValueError(
                f"{layer} received {name}={axes!r}, but its input has rank {ndim}: "
                f"each axis must be in [1, {ndim - 1}] or [-{ndim - 1}, -1] (axis 0 "
                "is the batch)."
            )
        out.append(positive)
    if len(set(out)) != len(out):
        raise ValueError(f"{layer} received duplicate axes: {name}={axes!r}")
    return tuple(sorted(out))


def int_pairs(layer, name, value, n):
    """``(before, after)`` amounts for ``n`` axes, as a tuple of ``n`` pairs.

    Accepts an int (the same on both sides of every axis); for ``n == 1`` a pair;
    for ``n > 1`` a tuple of ``n`` ints (symmetric per axis) or of ``n`` pairs.
    """
    shape = "an int or a pair of non-negative ints" if n == 1 else (
        f"an int, a tuple of {n} ints or a tuple of {n} pairs of non-negative ints"
    )
    error = ValueError(f"{layer} expected {name} to be {shape}. Received: {name}={value!r}")
    if _is_int(value):
        pairs = ((int(value), int(value)),) * n
    else:
        try:
            items = tuple(value)
        except TypeError:
            raise error from None
        if isinstance(value, str):
            raise error
        if n == 1 and len(items) == 2 and all(_is_int(v) for v in items):
            pairs = ((int(items[0]), int(items[1])),)
        elif n > 1 and len(items) == n and all(_is_int(v) for v in items):
            pairs = tuple((int(v), int(v)) for v in items)
        elif len(items) == n and all(
            not isinstance(p, str) and hasattr(p, "__len__") and len(p) == 2
            and all(_is_int(v) for v in p) for p in items
        ):
            pairs = tuple((int(p[0]), int(p[1])) for p in items)
        else:
            raise error
    if any(v < 0 for pair in pairs for v in pair):
        raise error
    return pairs
