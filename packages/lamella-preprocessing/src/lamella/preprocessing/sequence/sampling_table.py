"""``make_sampling_table``: how often to keep each word rank in ``skipgrams``."""

import numpy as np


def make_sampling_table(size, sampling_factor=1e-5):
    """Probabilities of keeping each word index, for word indices ranked by frequency.

    Word2vec keeps a word of frequency ``f`` with probability
    ``min(1, sqrt(sampling_factor / f))``. With no counts at hand, the frequency of
    the word of rank ``r`` is taken from Zipf's law: ``f ~ 1 / (r (ln r + gamma) +
    1/2 - 1 / (12 r))`` (``gamma`` = 0.577, Euler's constant), so frequent words
    (small indices) are kept rarely and rare ones always.

    Args:
        size: the vocabulary size.
        sampling_factor: word2vec's sampling factor.

    Returns:
        A float array of ``size`` probabilities; entry ``i`` is for index ``i``.

    Example:

    >>> table = make_sampling_table(5)
    >>> bool(table[1] < table[4] <= 1.0)
    True
    """
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1:
        raise ValueError(f"make_sampling_table expected a positive integer size. Received: size={size!r}")
    gamma = 0.577
    rank = np.arange(size)
    rank[0] = 1
    inverse_frequency = rank * (np.log(rank) + gamma) + 0.5 - 1.0 / (12.0 * rank)
    f = sampling_factor * inverse_frequency
    return np.minimum(1.0, f / np.sqrt(f))
