"""``TextVectorization``: raw strings to token indices or vectors, on the host."""

import re

import numpy as np

from lamella.layers.preprocessing.encoding import check_output_mode as _check_mode
from lamella.layers.preprocessing.host_layer import HostLayer
from lamella.layers.preprocessing.string_lookup import StringLookup

# The characters Keras strips with "strip_punctuation" (ASCII punctuation).
_PUNCTUATION = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation", None)
_SPLIT = ("whitespace", "character", None)


class TextVectorization(HostLayer):
    """Standardizes, splits and maps texts to token indices or per-text vectors.

    Each string is standardized (``lower_and_strip_punctuation`` by default),
    split into tokens (on whitespace), extended with its n-grams (``ngrams``,
    joined by spaces), and looked up in a vocabulary: ``adapt`` learns it
    (``max_tokens`` most frequent tokens), or pass ``vocabulary``. In ``int`` mode,
    index 0 is padding and 1 the OOV token ``[UNK]``; each row is padded (at the
    end) or cut to ``output_sequence_length``, or to the longest text of the batch.
    The vector modes give one row of ``vocabulary_size()`` entries per text
    (index 0 for OOV).

    It runs on the host, with numpy (XLA has no strings): call it on data, or put
    it first in a model, and ``fit``/``predict`` run it in the input pipeline.

    Args:
        max_tokens: the vocabulary size, special tokens included.
        standardize: ``lower_and_strip_punctuation``, ``lower``,
            ``strip_punctuation``, ``None``, or a function of one string.
        split: ``whitespace``, ``character``, ``None`` (the whole text is one
            token), or a function from a string to a list of tokens.
        ngrams: ``None``, an integer n (all n-grams up to n), or a tuple of sizes.
        output_mode: ``int``, ``multi_hot``, ``count`` or ``tf_idf``.
        output_sequence_length: the length of ``int`` rows.
        pad_to_max_tokens: make vectors ``max_tokens`` long.
        vocabulary: a list of tokens or a file with one per line.
        idf_weights: the weights of ``vocabulary`` for ``tf_idf``.
        encoding: the encoding of byte strings.

    Input shape:
        ``(batch,)`` or ``(batch, 1)`` strings.

    Output shape:
        ``(batch, output_sequence_length)`` (``int``) or ``(batch, vocabulary size)``.

    Example:

    >>> layer = TextVectorization(output_mode="int", output_sequence_length=4)
    >>> layer.adapt(["foo bar", "bar baz", "baz bada boom"])
    >>> layer(np.array([["foo qux bar"], ["qux baz"]])).tolist()
    [[4, 1, 3, 0], [1, 2, 0, 0]]
    """

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation", split="whitespace", ngrams=None,
                 output_mode="int", output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", **kwargs):
        super().__init__(**kwargs)
        name = "TextVectorization"
        standardize = _resolve_function(standardize, _STANDARDIZE)
        split = _resolve_function(split, _SPLIT)
        if not (standardize in _STANDARDIZE or callable(standardize)):
            raise ValueError(f"{name} expected standardize to be one of {_STANDARDIZE} or a function. "
                             f"Received: standardize={standardize!r}")
        if not (split in _SPLIT or callable(split)):
            raise ValueError(f"{name} expected split to be one of {_SPLIT} or a function. Received: split={split!r}")
        if ngrams is not None and not (
                isinstance(ngrams, int) and not isinstance(ngrams, bool) and ngrams > 0
                or isinstance(ngrams, tuple | list) and all(isinstance(n, int) and n > 0 for n in ngrams)):
            raise ValueError(f"{name} expected ngrams to be None, a positive integer or a tuple of them. "
                             f"Received: ngrams={ngrams!r}")
        encoding_modes = ("int", "multi_hot", "count", "tf_idf")
        _check_mode(name, output_mode, encoding_modes)
        if output_sequence_length is not None and output_mode != "int":
            raise ValueError(f"{name}: output_sequence_length only applies to output_mode='int'. "
                             f"Received: output_mode={output_mode!r}")
        if output_sequence_length is not None and (
                isinstance(output_sequence_length, bool) or not isinstance(output_sequence_length, int)
                or output_sequence_length < 1):
            raise ValueError(f"{name} expected a positive integer for output_sequence_length. "
                             f"Received: output_sequence_length={output_sequence_length!r}")
        if ragged:
            raise ValueError(f"{name}: lamella tensors are dense (no ragged output). Received: ragged=True")
        self.standardize = standardize
        self.split = split
        self.ngrams = tuple(ngrams) if isinstance(ngrams, list) else ngrams
        self.output_mode = output_mode
        self.output_sequence_length = output_sequence_length
        self.encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, mask_token="" if output_mode == "int" else None, vocabulary=vocabulary,
            idf_weights=idf_weights, output_mode=output_mode, pad_to_max_tokens=pad_to_max_tokens, sparse=sparse,
            encoding=encoding, name=f"{self.name}_lookup",
        )
        self.built = True

    # -- text to tokens ----------------------------------------------------------------

    def _standardize(self, text):
        if callable(self.standardize):
            return self.standardize(text)
        if self.standardize in ("lower_and_strip_punctuation", "lower"):
            text = text.lower()
        if self.standardize in ("lower_and_strip_punctuation", "strip_punctuation"):
            text = _PUNCTUATION.sub("", text)
        return text

    def _tokens(self, text):
        text = self._standardize(text)
        if callable(self.split):
            tokens = list(self.split(text))
        elif self.split == "whitespace":
            tokens = text.split()
        elif self.split == "character":
            tokens = list(text)
        else:
            tokens = [text]
        if self.ngrams is None:
            return tokens
        sizes = range(1, self.ngrams + 1) if isinstance(self.ngrams, int) else self.ngrams
        return [" ".join(tokens[i:i + n]) for n in sizes for i in range(len(tokens) - n + 1)]

    def _texts(self, inputs):
        array = np.asarray(inputs)
        if array.ndim == 2 and array.shape[1] == 1:
            array = array[:, 0]
        if array.ndim > 1:
            raise ValueError(
                f"TextVectorization '{self.name}' expects texts of shape (batch,) or (batch, 1). "
                f"Received shape {array.shape}"
            )
        if array.dtype.kind not in "USO":
            raise ValueError(f"TextVectorization '{self.name}' expects strings. Received dtype {array.dtype}")
        decode = lambda t: t.decode(self.encoding) if isinstance(t, bytes) else str(t)  # noqa: E731
        return [decode(t) for t in array.reshape(-1).tolist()]

    # -- vocabulary --------------------------------------------------------------------

    def adapt(self, data, batch_size=None, steps=None):
        """Learns the vocabulary from texts (an array, a list, or batches of them)."""
        from lamella.layers.preprocessing.index_lookup import _batches

        documents = []
        for batch in _batches(data, steps):
            documents.extend(self._tokens(t) for t in self._texts(batch))
        lookup = self._lookup_layer
        counts, document_counts = lookup._count_documents(documents)
        counts.pop("", None)
        lookup._learn(counts, document_counts, len(documents))

    def get_vocabulary(self, include_special_tokens=True):
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights)

    # -- calling -----------------------------------------------------------------------

    def host_apply(self, inputs):
        tokens = [self._tokens(t) for t in self._texts(inputs)]
        lookup = self._lookup_layer
        if self.output_mode != "int":
            rows = [lookup._lookup(np.array(t, dtype=object).astype(str)) if t else np.zeros(0, np.int64)
                    for t in tokens]
            return np.stack([lookup._encode(r[None, :])[0] for r in rows]) if rows else np.zeros(
                (0, lookup._depth()), np.float32)
        length = self.output_sequence_length or max((len(t) for t in tokens), default=0)
        out = np.zeros((len(tokens), length), np.int32)
        for row, text_tokens in enumerate(tokens):
            if text_tokens:
                ids = lookup._lookup(np.array(text_tokens[:length], dtype=object).astype(str))
                out[row, :len(ids)] = ids
        return out

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return (input_shape[0], self.output_sequence_length)
        return (input_shape[0], self._lookup_layer._depth())

    def get_config(self):
        config = super().get_config()
        lookup = self._lookup_layer
        # A custom function is saved by its registered name (register_serializable).
        from lamella.saving import serialization

        standardize = serialization.serialize_object(self.standardize) if callable(self.standardize) else self.standardize
        split = serialization.serialize_object(self.split) if callable(self.split) else self.split
        config.update({
            "max_tokens": lookup.max_tokens,
            "standardize": standardize,
            "split": split,
            "ngrams": self.ngrams,
            "output_mode": self.output_mode,
            "output_sequence_length": self.output_sequence_length,
            "pad_to_max_tokens": lookup.pad_to_max_tokens,
            "vocabulary": lookup.get_vocabulary(include_special_tokens=False) or None,
            "idf_weights": None if lookup._idf is None else [float(w) for w in lookup._idf],
            "sparse": False,
            "ragged": False,
            "encoding": self.encoding,
        })
        return config


def _resolve_function(value, options):
    """A custom function named in a config (registered with register_serializable)."""
    if isinstance(value, str) and value not in options:
        from lamella.saving.object_registration import get_registered_object

        found = get_registered_object(value)
        if callable(found):
            return found
    return value
