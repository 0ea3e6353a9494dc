"""``skipgrams``: (word, context) pairs for word2vec-style training, with negatives."""

import random


def skipgrams(sequence, vocabulary_size, window_size=4, negative_samples=1.0, shuffle=True,
              categorical=False, sampling_table=None, seed=None):
    """Pairs of words that appear near each other (label 1) and random pairs (label 0).

    For every word ``w_i`` (index 0 is skipped: it is padding), each word ``w_j``
    with ``0 < |i - j| <= window_size`` gives a positive couple ``[w_i, w_j]``. Then
    ``int(positives * negative_samples)`` negative couples pair a (shuffled) word of
    the positives with a random index in ``[1, vocabulary_size)``. With a
    ``sampling_table`` (``make_sampling_table``), word ``w_i`` is kept as a center
    word with probability ``sampling_table[w_i]``.

    Args:
        sequence: a list of word indices (one sentence or text).
        vocabulary_size: one more than the largest index.
        window_size: how far a context word may be.
        negative_samples: the number of negatives per positive (``0`` for none).
        shuffle: shuffle the couples (and their labels the same way).
        categorical: labels as ``[0, 1]`` / ``[1, 0]`` instead of ``1`` / ``0``.
        sampling_table: probabilities of keeping each index as a center word.
        seed: makes the sampling, the negatives and the shuffle reproducible.

    Returns:
        ``(couples, labels)``: lists of ``[word, context]`` and of labels.

    Example:

    >>> couples, labels = skipgrams([1, 2, 3], 4, window_size=1, negative_samples=0, shuffle=False)
    >>> couples, labels
    ([[1, 2], [2, 1], [2, 3], [3, 2]], [1, 1, 1, 1])
    """
    if isinstance(vocabulary_size, bool) or not isinstance(vocabulary_size, int) or vocabulary_size < 2:
        raise ValueError(
            "skipgrams expected an integer vocabulary_size >= 2. "
            f"Received: vocabulary_size={vocabulary_size!r}"
        )
    if isinstance(window_size, bool) or not isinstance(window_size, int) or window_size < 1:
        raise ValueError(f"skipgrams expected a positive window_size. Received: window_size={window_size!r}")
    if negative_samples < 0:
        raise ValueError(
            f"negative_samples must be non-negative. Received: negative_samples={negative_samples!r}"
        )
    rng = random.Random(seed) if seed is not None else random
    positive, negative = ([0, 1], [1, 0]) if categorical else (1, 0)
    couples, labels = [], []
    for i, word in enumerate(sequence):
        if not word:
            continue
        if sampling_table is not None and sampling_table[word] < rng.random():
            continue
        for j in range(max(0, i - window_size), min(len(sequence), i + window_size + 1)):
            if j != i and sequence[j]:
                couples.append([word, sequence[j]])
                labels.append(positive)
    if negative_samples > 0 and couples:
        count = int(len(labels) * negative_samples)
        words = [c[0] for c in couples]
        rng.shuffle(words)
        couples += [[words[i % len(words)], rng.randint(1, vocabulary_size - 1)] for i in range(count)]
        labels += [negative] * count
    if shuffle:
        order = list(range(len(couples)))
        rng.shuffle(order)
        couples = [couples[i] for i in order]
        labels = [labels[i] for i in order]
    return couples, labels
