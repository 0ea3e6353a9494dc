"""Words from text, and words to integers by hashing (the Keras 2 text functions)."""

import hashlib

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def text_to_word_sequence(input_text, filters=DEFAULT_FILTERS, lower=True, split=" "):
    """Splits a text into a list of words.

    The text is lowercased (``lower``), every character of ``filters`` becomes the
    separator ``split``, and the text is split on it; empty pieces are dropped.

    Args:
        input_text: a string.
        filters: characters removed (replaced by ``split``); default all
            punctuation, tabs and newlines (not ``'``).
        lower: whether to lowercase first.
        split: the word separator.

    Returns:
        A list of words.

    Example:

    >>> text_to_word_sequence("The cat, the HAT!")
    ['the', 'cat', 'the', 'hat']
    """
    if not isinstance(input_text, str):
        raise TypeError(
            f"text_to_word_sequence expects a string. Received: {type(input_text).__name__}"
        )
    if not isinstance(split, str) or not split:
        raise ValueError(f"split must be a non-empty string. Received: split={split!r}")
    if lower:
        input_text = input_text.lower()
    if filters:
        input_text = input_text.translate(str.maketrans({c: split for c in filters}))
    return [word for word in input_text.split(split) if word]


def _md5(word):
    return int(hashlib.md5(word.encode()).hexdigest(), 16)


def hashing_trick(text, n, hash_function=None, filters=DEFAULT_FILTERS, lower=True, split=" ", analyzer=None):
    """Maps every word of ``text`` to an integer in ``[1, n)`` by hashing.

    Index 0 is never produced (it is the padding value); two words may share an
    index. ``hash_function='md5'`` is stable across runs and machines; the default,
    Python's ``hash``, changes between processes unless ``PYTHONHASHSEED`` is set.

    Args:
        text: a string.
        n: the size of the hashing space (indices are ``hash % (n - 1) + 1``).
        hash_function: ``None`` (Python's ``hash``), ``'md5'``, or a function of a
            string returning an integer.
        filters, lower, split: as in ``text_to_word_sequence``.
        analyzer: a function from the text to its words, instead of
            ``text_to_word_sequence``.

    Returns:
        A list of integers, one per word.

    Example:

    >>> hashing_trick("the cat the hat", 10, hash_function="md5")
    [6, 3, 6, 6]
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"hashing_trick expects an integer n >= 2. Received: n={n!r}")
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        hash_function = _md5
    elif not callable(hash_function):
        raise ValueError(
            "hash_function must be None, 'md5' or a function. "
            f"Received: hash_function={hash_function!r}"
        )
    words = analyzer(text) if analyzer is not None else text_to_word_sequence(text, filters, lower, split)
    return [hash_function(word) % (n - 1) + 1 for word in words]


def one_hot(input_text, n, filters=DEFAULT_FILTERS, lower=True, split=" ", analyzer=None):
    """Words of ``input_text`` as integers in ``[1, n)``, hashed with Python's
    ``hash`` (Keras 2's name for ``hashing_trick(text, n)``; it is not a one-hot
    encoding)."""
    return hashing_trick(input_text, n, hash_function=hash, filters=filters, lower=lower, split=split, analyzer=analyzer)
