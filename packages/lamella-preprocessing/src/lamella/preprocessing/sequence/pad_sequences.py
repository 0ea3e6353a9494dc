"""``pad_sequences``: lists of sequences to one 2-D array of equal-length rows."""

import numpy as np


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0):
    """Pads (or truncates) every sequence to the same length.

    Args:
        sequences: a list of sequences (lists or arrays); each element may itself be
            an array (all with the same shape), giving a 3-D or deeper result.
        maxlen: the length of the rows; default the longest sequence's length.
        dtype: the output dtype; string dtypes (``'str'``, ``'<U10'``, ``object``)
            are accepted for sequences of tokens.
        padding: ``'pre'`` or ``'post'``: where the padding goes.
        truncating: ``'pre'`` or ``'post'``: which end of a long sequence is cut.
        value: the padding value (a string for string dtypes).

    Returns:
        A numpy array of shape ``(len(sequences), maxlen, ...)``.

    Example:

    >>> pad_sequences([[1, 2, 3], [4]], maxlen=2).tolist()
    [[2, 3], [0, 4]]
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(f"pad_sequences expects a list of sequences. Received: {type(sequences).__name__}")
    if padding not in ("pre", "post"):
        raise ValueError(f"padding must be 'pre' or 'post'. Received: padding={padding!r}")
    if truncating not in ("pre", "post"):
        raise ValueError(f"truncating must be 'pre' or 'post'. Received: truncating={truncating!r}")
    lengths = []
    sample_shape = ()
    for index, sequence in enumerate(sequences):
        if not hasattr(sequence, "__len__"):
            raise ValueError(
                f"pad_sequences expects every sequence to be iterable. Sequence {index} "
                f"is {sequence!r}."
            )
        lengths.append(len(sequence))
        if len(sequence) and not sample_shape:
            sample_shape = np.asarray(sequence).shape[1:]
    if maxlen is None:
        maxlen = max(lengths, default=0)
    if not isinstance(maxlen, int | np.integer) or maxlen < 0:
        raise ValueError(f"maxlen must be a non-negative integer. Received: maxlen={maxlen!r}")
    is_string = np.issubdtype(np.dtype(dtype), np.str_) or np.dtype(dtype) == object
    if isinstance(value, str) and not is_string:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type {type(value)}. "
            "Use dtype=object (or a string dtype) for string padding."
        )
    result = np.full((len(sequences), maxlen, *sample_shape), value, dtype=dtype)
    for index, sequence in enumerate(sequences):
        if not len(sequence) or not maxlen:
            continue
        kept = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != sample_shape:
            raise ValueError(
                f"Sequence {index} has elements of shape {kept.shape[1:]}, unlike the "
                f"others' {sample_shape}."
            )
        if padding == "post":
            result[index, : len(kept)] = kept
        else:
            result[index, -len(kept):] = kept
    return result
