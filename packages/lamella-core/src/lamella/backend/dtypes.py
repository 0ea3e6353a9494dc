"""Dtype names: one canonical string per dtype, and jax's view of them."""

import jax
import jax.numpy as jnp
import numpy as np

from lamella.backend import config

_ALIASES = {"float": "float32", "double": "float64", "int": "int32", "half": "float16"}


def standardize_dtype(dtype):
    """Returns the canonical name of ``dtype`` (``None`` means ``floatx()``).

    Under jax's default 32-bit mode a 64-bit request maps to its 32-bit sibling, so
    that no float64 reaches a device that would silently downcast it anyway.
    """
    if dtype is None:
        return config.floatx()
    if is_string_dtype(dtype):
        return "string"
    if hasattr(dtype, "name") and not isinstance(dtype, str) and not isinstance(
        dtype, np.dtype
    ):
        dtype = getattr(dtype, "name")
    if isinstance(dtype, str):
        name = _ALIASES.get(dtype, dtype)
    else:
        try:
            name = jnp.dtype(dtype).name
        except TypeError:
            raise ValueError(f"Invalid dtype. Received: dtype={dtype!r}") from None
    try:
        jnp.dtype(name)
    except TypeError:
        raise ValueError(f"Invalid dtype. Received: dtype={dtype!r}") from None
    if not jax.config.jax_enable_x64:
        name = {"float64": "float32", "int64": "int32", "uint64": "uint32",
                "complex128": "complex64"}.get(name, name)
    return name


def is_string_dtype(dtype):
    """Whether ``dtype`` names text: ``"string"`` (Keras' name), ``str``, numpy's
    unicode/bytes dtypes. XLA has no strings: layers that take them run on the host
    (``TextVectorization``, ``StringLookup``, ...)."""
    if isinstance(dtype, str):
        # "string", "str", or numpy's "<U5", "|S3", "U5" spellings.
        return dtype in ("string", "str", "bytes") or (
            len(dtype) >= 2 and dtype[0] in "<>|=" and dtype[1] in "US"
        ) or (len(dtype) >= 2 and dtype[0] in "US" and dtype[1:].isdigit())
    if dtype in (str, bytes):
        return True
    return isinstance(dtype, np.dtype) and dtype.kind in "US"


def is_float_dtype(dtype):
    return jnp.issubdtype(jnp.dtype(standardize_dtype(dtype)), jnp.floating)


def is_int_dtype(dtype):
    return jnp.issubdtype(jnp.dtype(standardize_dtype(dtype)), jnp.integer)
