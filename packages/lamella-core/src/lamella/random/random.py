"""Random tensors, named as in ``keras.random``.

``seed`` is an integer (the same values each call), a ``SeedGenerator`` (a new draw
each call; use it inside layers) or ``None`` (the global stream).
"""

import jax
import jax.numpy as jnp

from lamella.backend.dtypes import standardize_dtype
from lamella.ops.core import convert_to_tensor
from lamella.random.seed_generator import make_key

__all__ = [
    "categorical", "dropout", "gamma", "normal", "randint", "shuffle",
    "truncated_normal", "uniform",
]


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = standardize_dtype(dtype)
    return mean + stddev * jax.random.normal(make_key(seed), tuple(shape), dtype=dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dtype = standardize_dtype(dtype)
    return jax.random.uniform(make_key(seed), tuple(shape), dtype=dtype, minval=minval, maxval=maxval)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal values within two standard deviations of the mean."""
    dtype = standardize_dtype(dtype)
    values = jax.random.truncated_normal(make_key(seed), -2.0, 2.0, tuple(shape), dtype=dtype)
    return mean + stddev * values


def randint(shape, minval, maxval, dtype="int32", seed=None):
    return jax.random.randint(make_key(seed), tuple(shape), minval, maxval, dtype=standardize_dtype(dtype))


def categorical(logits, num_samples, dtype="int32", seed=None):
    """``num_samples`` class indices per row of ``logits``."""
    logits = convert_to_tensor(logits)
    samples = jax.random.categorical(
        make_key(seed), logits[..., None, :], axis=-1,
        shape=(*logits.shape[:-1], num_samples),
    )
    return samples.astype(standardize_dtype(dtype))


def gamma(shape, alpha, dtype=None, seed=None):
    return jax.random.gamma(make_key(seed), alpha, tuple(shape), dtype=standardize_dtype(dtype))


def shuffle(x, axis=0, seed=None):
    return jax.random.permutation(make_key(seed), convert_to_tensor(x), axis=axis, independent=False)


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes each value with probability ``rate`` and scales the rest by ``1/(1-rate)``."""
    inputs = convert_to_tensor(inputs)
    if rate == 0:
        return inputs
    keep = 1.0 - rate
    shape = inputs.shape if noise_shape is None else tuple(
        inputs.shape[i] if d is None else d for i, d in enumerate(noise_shape)
    )
    mask = jax.random.bernoulli(make_key(seed), keep, shape)
    mask = jnp.broadcast_to(mask, inputs.shape)
    return jnp.where(mask, inputs / keep, jnp.zeros_like(inputs))
