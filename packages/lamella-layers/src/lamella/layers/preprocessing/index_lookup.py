"""``IndexLookup``: what ``StringLookup`` and ``IntegerLookup`` share (host-side).

Index layout, as in Keras: in ``int`` mode, ``[mask] [oov ...] [vocabulary ...]``
(the mask token, when set, is index 0); in the vector modes the mask token is
dropped from the input and has no column: ``[oov ...] [vocabulary ...]``. A learned
vocabulary is sorted by frequency, most frequent first; equal counts are sorted by
token, in descending order (Keras' rule). Several OOV indices are shared out as
Keras shares them, so an unknown token gets the OOV index Keras gives it: an
integer by ``token % num_oov_indices`` (``oov_method='floormod'``, the default), a
string, or an integer with ``oov_method='farmhash'`` (its decimal digits), by FarmHash
``Fingerprint64`` of its UTF-8 bytes modulo ``num_oov_indices``, or with a ``salt``
by SipHash-2-4 keyed by the salt.
"""

import collections
import os

import numpy as np

from lamella.layers.preprocessing import encoding
from lamella.layers.preprocessing.fingerprint import fingerprint64, salt_pair, siphash64
from lamella.layers.preprocessing.host_layer import HostLayer


OOV_METHODS = ("floormod", "farmhash")


def _is_integer(token):
    return isinstance(token, int | np.integer) and not isinstance(token, bool)


class IndexLookup(HostLayer):
    """Maps tokens to indices through a vocabulary (adapted or given)."""

    _token_kind = "token"
    # Whether the vocabulary holds integers (``oov_method`` then chooses floormod or a hash).
    _integer_tokens = False

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=None, vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False,
                 oov_method="floormod", salt=None, **kwargs):
        # Keras 3 configs record the size of an adapted vocabulary; here the
        # vocabulary itself travels in the config, so the size is implied.
        kwargs.pop("vocabulary_size", None)
        super().__init__(**kwargs)
        name = type(self).__name__
        if oov_method not in OOV_METHODS:
            raise ValueError(f"{name} expected oov_method in {OOV_METHODS}. Received: oov_method={oov_method!r}")
        if salt is not None and self._integer_tokens and oov_method != "farmhash":
            raise ValueError(
                f"{name}: salt keys the 'farmhash' OOV method, so it needs oov_method='farmhash'. "
                f"Received: salt={salt!r}, oov_method={oov_method!r}"
            )
        if max_tokens is not None and (isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens <= 1):
            raise ValueError(f"{name} expected max_tokens to be None or an integer > 1. Received: max_tokens={max_tokens!r}")
        if isinstance(num_oov_indices, bool) or not isinstance(num_oov_indices, int) or num_oov_indices < 0:
            raise ValueError(
                f"{name} expected num_oov_indices to be a non-negative integer. Received: num_oov_indices={num_oov_indices!r}"
            )
        encoding.check_output_mode(name, output_mode)
        if invert and output_mode != "int":
            raise ValueError(f"{name}: invert=True only works with output_mode='int'. Received: output_mode={output_mode!r}")
        if sparse:
            raise ValueError(f"{name}: lamella tensors are dense. Received: sparse=True")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"{name}: pad_to_max_tokens=True needs max_tokens.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"{name}: idf_weights only apply to output_mode='tf_idf'. Received: output_mode={output_mode!r}")
        self.oov_method = oov_method
        # Stored as Keras stores it (a pair), so configs read the same both ways.
        self.salt = salt_pair(salt, name)
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.invert = invert
        self.output_mode = output_mode
        self.pad_to_max_tokens = pad_to_max_tokens
        self.sparse = False
        self._vocabulary = []
        self._index = {}
        self._idf = None
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        elif idf_weights is not None:
            raise ValueError(f"{name}: idf_weights need a vocabulary.")
        self.built = True

    # -- layout ------------------------------------------------------------------------

    def _oov_start(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start(self):
        return self._oov_start() + self.num_oov_indices

    def vocabulary_size(self):
        """The number of indices: special tokens plus the vocabulary."""
        return self._token_start() + len(self._vocabulary)

    def _depth(self):
        return self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()

    def get_vocabulary(self, include_special_tokens=True):
        """The tokens by index (the OOV token for every OOV index)."""
        tokens = list(self._vocabulary)
        if not include_special_tokens:
            return tokens
        special = [self.oov_token] * self.num_oov_indices
        if self._oov_start():
            special = [self.mask_token, *special]
        return special + tokens

    # -- vocabulary --------------------------------------------------------------------

    def _convert_token(self, token):
        return token

    def _read_vocabulary(self, vocabulary):
        if isinstance(vocabulary, str | os.PathLike) and os.path.isfile(vocabulary):
            with open(vocabulary, encoding="utf-8") as f:
                return [line.rstrip("\n") for line in f]
        return [self._convert_token(t) for t in np.asarray(vocabulary).reshape(-1).tolist()]

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (a list, an array or a file with one token per line),
        without or with its leading special tokens, and for ``tf_idf`` its weights."""
        name = type(self).__name__
        tokens = self._read_vocabulary(vocabulary)
        special = self.get_vocabulary()[: self._token_start()]
        if special and tokens[: len(special)] == special:
            tokens = tokens[len(special):]
        repeated = sorted({t for t, n in collections.Counter(tokens).items() if n > 1}, key=str)
        if repeated:
            raise ValueError(
                f"The passed vocabulary has at least one repeated term. Please uniquify your dataset. "
                f"The repeated terms are {repeated}"
            )
        misplaced = [t for t in (self.mask_token, self.oov_token) if t is not None and t in tokens]
        if misplaced:
            raise ValueError(
                f"{name}: the vocabulary holds the special token(s) {misplaced} among its terms; "
                "they may only come first, in their reserved positions, or not at all."
            )
        if self.max_tokens is not None and self._token_start() + len(tokens) > self.max_tokens:
            raise ValueError(
                f"{name}: the vocabulary of {len(tokens)} terms and {self._token_start()} special indices "
                f"is larger than max_tokens={self.max_tokens}."
            )
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError(f"{name}: idf_weights must be set with the vocabulary if output_mode is 'tf_idf'.")
            idf_weights = np.asarray(idf_weights, dtype=np.float32).reshape(-1)
            if len(idf_weights) == self._token_start() + len(tokens):
                idf_weights = idf_weights[self._token_start():]
            if len(idf_weights) != len(tokens):
                raise ValueError(
                    f"{name}: idf_weights must have one weight per vocabulary term ({len(tokens)}). "
                    f"Received {len(idf_weights)}."
                )
            self._idf = idf_weights
        self._vocabulary = tokens
        start = self._token_start()
        self._index = {token: start + i for i, token in enumerate(tokens)}

    def _idf_vector(self):
        weights = self._idf if self._idf is not None else np.zeros(0, np.float32)
        mean = float(weights.mean()) if len(weights) else 0.0
        vector = np.concatenate([np.full(self._token_start(), mean, np.float32), weights])
        return np.pad(vector, (0, self._depth() - len(vector)))

    def _count_documents(self, documents):
        counts = collections.Counter()
        document_counts = collections.Counter()
        for document in documents:
            tokens = [t for t in document if t != self.mask_token and t != self.oov_token]
            counts.update(tokens)
            document_counts.update(set(tokens))
        return counts, document_counts

    def _learn(self, counts, document_counts, num_documents):
        # Most frequent first; ties by token, descending (Keras sorts the same way).
        ranked = sorted(counts.items(), key=lambda item: (item[1], item[0]), reverse=True)
        if self.max_tokens is not None:
            ranked = ranked[: max(self.max_tokens - self._token_start(), 0)]
        tokens = [token for token, _ in ranked]
        idf = None
        if self.output_mode == "tf_idf":
            idf = np.log(1 + num_documents / (1 + np.array([document_counts[t] for t in tokens], np.float64)))
        self.set_vocabulary(tokens, idf)

    def adapt(self, data, batch_size=None, steps=None):
        """Learns the vocabulary (and document frequencies) from ``data``: an array,
        a list, or an iterable of batches. A 1-D batch is one document; each row of
        a 2-D batch is one."""
        documents = []
        for batch in _batches(data, steps):
            array = self._prepare_adapt(batch)
            rows = [array.reshape(-1)] if array.ndim <= 1 else list(array.reshape(len(array), -1))
            documents.extend(r.tolist() for r in rows)
        counts, document_counts = self._count_documents(documents)
        self._learn(counts, document_counts, len(documents))

    def _prepare_adapt(self, batch):
        return np.asarray(batch)

    # -- lookups -----------------------------------------------------------------------

    def _lookup(self, tokens):
        """Indices for an array of tokens (``-1`` for a dropped mask token)."""
        flat = tokens.reshape(-1).tolist()
        out = np.empty(len(flat), np.int64)
        oov_start = self._oov_start()
        missing = []
        for position, token in enumerate(flat):
            index = self._index.get(token)
            if index is not None:
                out[position] = index
            elif self.mask_token is not None and token == self.mask_token:
                out[position] = 0 if self.output_mode == "int" else -1
            elif self.num_oov_indices == 0:
                missing.append(token)
            elif self.num_oov_indices == 1:
                out[position] = oov_start
            else:
                out[position] = oov_start + self._oov_bucket(token)
        if missing:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' has num_oov_indices=0 and received tokens "
                f"that are not in its vocabulary: {missing[:5]}"
            )
        return out.reshape(tokens.shape)

    def _oov_bucket(self, token):
        """Which of the ``num_oov_indices`` OOV indices an unknown token gets."""
        if _is_integer(token) and self.oov_method == "floormod":
            return int(token) % self.num_oov_indices  # floor modulo, as tf.math.floormod
        # Integers are hashed as their decimal digits, as Keras turns them to strings.
        data = token if isinstance(token, bytes) else str(token).encode("utf-8")
        digest = fingerprint64(data) if self.salt is None else siphash64(self.salt, data)
        return digest % self.num_oov_indices

    def _invert(self, indices):
        vocabulary = self.get_vocabulary()
        size = len(vocabulary)
        flat = [vocabulary[i] if 0 <= i < size else self.oov_token for i in indices.reshape(-1).tolist()]
        return np.array(flat, dtype=object).reshape(indices.shape)

    def _encode(self, indices):
        if self.invert:
            return self._invert(indices)
        if self.output_mode == "int":
            return indices.astype(np.int32)
        idf = self._idf_vector() if self.output_mode == "tf_idf" else None
        return encoding.encode_ids(indices, self.output_mode, self._depth(), np.float32, idf_weights=idf)

    def compute_output_shape(self, input_shape):
        depth = self._depth() if self.output_mode != "int" else None
        return encoding.encoded_shape(input_shape, self.output_mode, depth)

    def get_config(self):
        config = super().get_config()
        config.update({
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "mask_token": self.mask_token,
            "oov_token": self.oov_token,
            # The vocabulary travels in the config: lookups have no weights.
            "vocabulary": list(self._vocabulary) if self._vocabulary else None,
            "idf_weights": None if self._idf is None else [float(w) for w in self._idf],
            "invert": self.invert,
            "output_mode": self.output_mode,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "sparse": False,
            "oov_method": self.oov_method,
            "salt": self.salt,
        })
        return config


def _batches(data, steps):
    if isinstance(data, np.ndarray | list | tuple | str):
        yield data
        return
    if hasattr(data, "__array__"):
        yield np.asarray(data)
        return
    for count, batch in enumerate(data):
        if steps is not None and count >= steps:
            return
        yield batch[0] if isinstance(batch, tuple) else batch
