"""``StringLookup``: strings to integer indices (or vectors), on the host."""

import numpy as np

from lamella.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Maps strings to indices in a vocabulary (adapted with ``adapt`` or given).

    With ``mask_token`` set (``int`` mode) it is index 0; then come
    ``num_oov_indices`` indices for out-of-vocabulary strings (``oov_token``), then
    the vocabulary. ``output_mode`` ``one_hot``, ``multi_hot``, ``count`` or
    ``tf_idf`` gives one vector per element or sample instead; ``invert=True``
    maps indices back to strings. It runs on the host (see ``HostLayer``): first in
    a model, or on data.

    Args:
        max_tokens: the most indices (special ones included); ``None``: no limit.
        num_oov_indices: indices for unknown strings (0: unknown strings are an error).
        mask_token: the padding string (index 0 in ``int`` mode), or ``None``.
        oov_token: what unknown indices map back to with ``invert``.
        vocabulary: a list of strings or a file with one per line.
        idf_weights: with ``output_mode='tf_idf'`` and a vocabulary, its weights.
        invert: map indices to strings.
        output_mode: ``int``, ``one_hot``, ``multi_hot``, ``count`` or ``tf_idf``.
        pad_to_max_tokens: make vectors ``max_tokens`` long.
        encoding: the text encoding of byte strings.
        salt: an integer (or two) keying the hash that shares unknown strings
            out among several OOV indices: SipHash-2-4 instead of FarmHash.

    Input shape:
        Any shape of strings (``int`` mode); at most 2-D for the vector modes.

    Output shape:
        The input's (``int``), or ``(..., vocabulary size)``.

    Example:

    >>> layer = StringLookup(vocabulary=["a", "b", "c", "d"])
    >>> layer(np.array([["a", "c", "d"], ["d", "z", "b"]])).tolist()
    [[1, 3, 4], [4, 0, 2]]
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]", vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False,
                 encoding="utf-8", salt=None, **kwargs):
        self.encoding = encoding
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, pad_to_max_tokens=pad_to_max_tokens, sparse=sparse,
                         salt=salt, **kwargs)

    def _convert_token(self, token):
        return token.decode(self.encoding) if isinstance(token, bytes) else str(token)

    def _strings(self, inputs):
        array = np.asarray(inputs)
        if array.dtype.kind == "S":
            return np.char.decode(array, self.encoding)
        if array.dtype.kind == "O":
            return np.vectorize(self._convert_token, otypes=[object])(array).astype(str) if array.size else array.astype(str)
        if array.dtype.kind != "U":
            raise ValueError(
                f"StringLookup '{self.name}' expects strings. Received an array of dtype {array.dtype}"
            )
        return array

    def _prepare_adapt(self, batch):
        return self._strings(batch)

    def host_apply(self, inputs):
        if self.invert:
            return self._encode(np.asarray(inputs).astype(np.int64))
        return self._encode(self._lookup(self._strings(inputs)))

    def get_config(self):
        return {**super().get_config(), "encoding": self.encoding}
