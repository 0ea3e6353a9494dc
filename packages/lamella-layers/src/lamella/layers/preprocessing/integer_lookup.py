"""``IntegerLookup``: integers to contiguous indices (or vectors), on the host."""

import numpy as np

from lamella.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Maps integer values (ids, codes, years) to indices in a vocabulary.

    The same layout and modes as ``StringLookup`` (``mask_token`` at 0 when set,
    then ``num_oov_indices`` OOV indices, then the vocabulary by frequency); the OOV
    token is ``-1`` by default. It runs on the host, as the other lookups.

    Args:
        max_tokens, num_oov_indices, mask_token, oov_token, vocabulary, idf_weights,
        invert, output_mode, pad_to_max_tokens: as in ``StringLookup``.
        vocabulary_dtype: ``'int64'`` or ``'int32'``.
        oov_method: how unknown integers share the OOV indices when there are
            several: ``'floormod'`` (``value % num_oov_indices``, the default) or
            ``'farmhash'`` (a hash of the value's decimal digits, which spreads
            evenly ids that ``floormod`` would pile up, such as multiples of
            ``num_oov_indices``).
        salt: with ``oov_method='farmhash'``, an integer (or two) keying the hash:
            SipHash-2-4 instead of FarmHash.

    Example:

    >>> layer = IntegerLookup(vocabulary=[12, 36, 1138, 42])
    >>> layer(np.array([[12, 1138, 42], [42, 1000, 36]])).tolist()
    [[1, 3, 4], [4, 0, 2]]
    """

    _integer_tokens = True

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1, vocabulary=None,
                 vocabulary_dtype="int64", idf_weights=None, invert=False, output_mode="int", sparse=False,
                 pad_to_max_tokens=False, oov_method="floormod", salt=None, **kwargs):
        if vocabulary_dtype not in ("int64", "int32"):
            raise ValueError(
                f"IntegerLookup expected vocabulary_dtype 'int64' or 'int32'. Received: vocabulary_dtype={vocabulary_dtype!r}"
            )
        self.vocabulary_dtype = vocabulary_dtype
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, pad_to_max_tokens=pad_to_max_tokens, sparse=sparse,
                         oov_method=oov_method, salt=salt, **kwargs)

    def _convert_token(self, token):
        return int(token)

    def _integers(self, inputs):
        array = np.asarray(inputs)
        if array.dtype.kind not in "iu":
            if array.dtype.kind == "f" and np.all(np.mod(array, 1) == 0):
                return array.astype(np.int64)
            raise ValueError(f"IntegerLookup '{self.name}' expects integers. Received an array of dtype {array.dtype}")
        return array.astype(np.int64)

    def _prepare_adapt(self, batch):
        return self._integers(batch)

    def host_apply(self, inputs):
        if self.invert:
            return self._encode(self._integers(inputs)).astype(np.int64)
        return self._encode(self._lookup(self._integers(inputs)))

    def get_config(self):
        return {**super().get_config(), "vocabulary_dtype": self.vocabulary_dtype}
