"""Random initializers drawing from a fixed distribution.

A ``seed`` makes an initializer return the same values on every call (the Keras
rule); without one each call draws new values from the shared host generator, which
``lamella.utils.set_random_seed`` makes reproducible.
"""

import numpy as np

from lamella.initializers.initializer import Initializer, to_dtype
from lamella.random.host_rng import rng_for

# Truncated draws keep values within this many standard deviations of the mean.
TRUNCATION = 2.0


def truncated_standard_normal(rng, shape):
    """Standard normal values redrawn until they fall within ``[-2, 2]``."""
    values = rng.standard_normal(shape, dtype=np.float32)
    outside = np.abs(values) > TRUNCATION
    while outside.any():
        values[outside] = rng.standard_normal(int(outside.sum()), dtype=np.float32)
        outside = np.abs(values) > TRUNCATION
    return values


class _SeededInitializer(Initializer):
    def __init__(self, seed=None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ValueError(
                f"{type(self).__name__} expected an integer seed or None. "
                f"Received: seed={seed!r}"
            )
        self.seed = seed

    def _rng(self):
        return rng_for(self.seed)

    def get_config(self):
        return {"seed": self.seed}


class RandomNormal(_SeededInitializer):
    """Normal values with the given ``mean`` and ``stddev``.

    Args:
        mean: the mean.
        stddev: the standard deviation.
        seed: an integer for reproducible values, or ``None``.
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean = mean
        self.stddev = stddev

    def __call__(self, shape, dtype=None):
        values = self._rng().standard_normal(tuple(shape), dtype=np.float32)
        return to_dtype(self.mean + self.stddev * values, dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class RandomUniform(_SeededInitializer):
    """Uniform values in ``[minval, maxval)``.

    Args:
        minval: the lower bound.
        maxval: the upper bound.
        seed: an integer for reproducible values, or ``None``.
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval = minval
        self.maxval = maxval

    def __call__(self, shape, dtype=None):
        values = self._rng().random(tuple(shape), dtype=np.float32)
        return to_dtype(self.minval + (self.maxval - self.minval) * values, dtype)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


class TruncatedNormal(_SeededInitializer):
    """Normal values, redrawn when more than two standard deviations from the mean.

    Args:
        mean: the mean.
        stddev: the standard deviation before truncation.
        seed: an integer for reproducible values, or ``None``.
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean = mean
        self.stddev = stddev

    def __call__(self, shape, dtype=None):
        values = truncated_standard_normal(self._rng(), tuple(shape))
        return to_dtype(self.mean + self.stddev * values, dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class Orthogonal(_SeededInitializer):
    """A random orthogonal matrix times ``gain`` (rows or columns orthonormal).

    Weights with more than two axes are treated as a matrix of
    ``(prod(shape[:-1]), shape[-1])``.

    Args:
        gain: the multiplier.
        seed: an integer for reproducible values, or ``None``.
    """

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = tuple(shape)
        if len(shape) < 2:
            raise ValueError(
                "Orthogonal initializes weights with at least 2 axes. "
                f"Received: shape={shape}"
            )
        rows = int(np.prod(shape[:-1]))
        cols = shape[-1]
        flat = (max(rows, cols), min(rows, cols))
        a = self._rng().standard_normal(flat)
        q, r = np.linalg.qr(a)
        # Multiplying by the signs of R's diagonal makes the distribution uniform
        # over orthogonal matrices (QR alone is biased).
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return to_dtype(self.gain * q.reshape(shape), dtype)

    def get_config(self):
        return {"gain": self.gain, **super().get_config()}
