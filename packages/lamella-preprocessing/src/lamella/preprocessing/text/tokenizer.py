"""``Tokenizer``: the Keras 2 text tokenizer (words to indices by frequency)."""

import json
from collections import OrderedDict, defaultdict

import numpy as np

from lamella.preprocessing.text.word_sequence import DEFAULT_FILTERS, text_to_word_sequence

_MODES = ("binary", "count", "tfidf", "freq")


class Tokenizer:
    """Turns texts into sequences of word indices, or into vectors per text.

    ``fit_on_texts`` counts words; the index of a word is its rank by count (1 for
    the most frequent; ties keep the order of first appearance; 0 is never used,
    it is the padding value). With ``oov_token``, index 1 is that token and every
    unknown word maps to it. ``num_words`` keeps only the indices below it when
    converting (``word_index`` itself keeps every word).

    Args:
        num_words: the size of the vocabulary used by the conversions (indices
            ``< num_words``); ``None`` keeps every word.
        filters: characters removed from texts (see ``text_to_word_sequence``).
        lower: lowercase texts first.
        split: the word separator.
        char_level: make every character a token.
        oov_token: the token standing for out-of-vocabulary words.
        analyzer: a function from a text to its tokens, instead of the default.
        document_count: the number of documents already seen (restored models).

    Example:

    >>> tokenizer = Tokenizer()
    >>> tokenizer.fit_on_texts(["the cat sat", "the cat"])
    >>> tokenizer.word_index
    {'the': 1, 'cat': 2, 'sat': 3}
    >>> tokenizer.texts_to_sequences(["cat the dog"])
    [[2, 1]]
    """

    def __init__(self, num_words=None, filters=DEFAULT_FILTERS, lower=True, split=" ",
                 char_level=False, oov_token=None, analyzer=None, document_count=0, **kwargs):
        if "nb_words" in kwargs:  # the Keras 1 name
            num_words = kwargs.pop("nb_words")
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments passed to Tokenizer: {kwargs}")
        if num_words is not None and (isinstance(num_words, bool) or not isinstance(num_words, int) or num_words < 1):
            raise ValueError(
                f"Tokenizer expected a positive integer or None for num_words. Received: num_words={num_words!r}"
            )
        self.word_counts = OrderedDict()
        self.word_docs = defaultdict(int)
        self.filters = filters
        self.split = split
        self.lower = lower
        self.num_words = num_words
        self.document_count = document_count
        self.char_level = char_level
        self.oov_token = oov_token
        self.index_docs = defaultdict(int)
        self.word_index = {}
        self.index_word = {}
        self.analyzer = analyzer

    def _tokens(self, text):
        if self.char_level or isinstance(text, list):
            # Lists are taken as already tokenized; they are only lowercased.
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return list(text)
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(text, self.filters, self.lower, self.split)

    # -- fitting -----------------------------------------------------------------------

    def fit_on_texts(self, texts):
        """Counts the words of ``texts`` (strings, or lists of tokens) and rebuilds
        ``word_index``/``index_word`` by frequency."""
        if isinstance(texts, str):
            raise TypeError(
                "fit_on_texts expects a list of texts, not one string (it would "
                "count its characters as texts)."
            )
        for text in texts:
            self.document_count += 1
            tokens = self._tokens(text)
            for word in tokens:
                self.word_counts[word] = self.word_counts.get(word, 0) + 1
            for word in set(tokens):
                self.word_docs[word] += 1
        # sorted() is stable: words of equal count keep their first-seen order.
        ranked = sorted(self.word_counts.items(), key=lambda item: item[1], reverse=True)
        vocabulary = [] if self.oov_token is None else [self.oov_token]
        vocabulary.extend(word for word, _ in ranked)
        self.word_index = dict(zip(vocabulary, range(1, len(vocabulary) + 1)))
        self.index_word = {index: word for word, index in self.word_index.items()}
        for word, count in self.word_docs.items():
            self.index_docs[self.word_index[word]] = count

    def fit_on_sequences(self, sequences):
        """Counts, for tf-idf, in how many sequences each index appears."""
        self.document_count += len(sequences)
        for sequence in sequences:
            for index in set(sequence):
                self.index_docs[index] += 1

    # -- texts to sequences and back -------------------------------------------------

    def texts_to_sequences(self, texts):
        """Each text as a list of word indices (see ``texts_to_sequences_generator``)."""
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts):
        """Yields each text as a list of indices: unknown words and indices
        ``>= num_words`` become the ``oov_token``'s index, or are dropped."""
        num_words = self.num_words
        oov_index = self.word_index.get(self.oov_token)
        for text in texts:
            sequence = []
            for word in self._tokens(text):
                index = self.word_index.get(word)
                if index is not None and not (num_words and index >= num_words):
                    sequence.append(index)
                elif oov_index is not None and (index is not None or self.oov_token is not None):
                    sequence.append(oov_index)
            yield sequence

    def sequences_to_texts(self, sequences):
        """Each sequence of indices as a text (words joined by spaces)."""
        return list(self.sequences_to_texts_generator(sequences))

    def sequences_to_texts_generator(self, sequences):
        num_words = self.num_words
        oov_index = self.word_index.get(self.oov_token)
        for sequence in sequences:
            words = []
            for index in sequence:
                index = int(index)
                word = self.index_word.get(index)
                if word is not None and not (num_words and index >= num_words):
                    words.append(word)
                elif oov_index is not None:
                    words.append(self.index_word[oov_index])
            yield " ".join(words)

    # -- vectors -----------------------------------------------------------------------

    def texts_to_matrix(self, texts, mode="binary"):
        """A ``(len(texts), num_words)`` matrix (see ``sequences_to_matrix``)."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """One row per sequence, one column per index (``num_words`` columns, or
        ``len(word_index) + 1``):

        - ``binary``: 1 where the index occurs;
        - ``count``: how many times it occurs;
        - ``freq``: its count divided by the sequence's length;
        - ``tfidf``: ``(1 + log(count)) * log(1 + documents / (1 + documents
          containing it))``.
        """
        if mode not in _MODES:
            raise ValueError(f"Unknown vectorization mode: {mode!r}. Expected one of {_MODES}.")
        num_words = self.num_words
        if not num_words:
            if not self.word_index:
                raise ValueError(
                    "Specify a dimension (the num_words argument), or fit on some "
                    "text data first."
                )
            num_words = len(self.word_index) + 1
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        matrix = np.zeros((len(sequences), num_words))
        for row, sequence in enumerate(sequences):
            if not len(sequence):
                continue
            counts = defaultdict(int)
            for index in sequence:
                if index < num_words:
                    counts[int(index)] += 1
            for index, count in counts.items():
                if mode == "count":
                    matrix[row, index] = count
                elif mode == "freq":
                    matrix[row, index] = count / len(sequence)
                elif mode == "binary":
                    matrix[row, index] = 1
                else:
                    tf = 1 + np.log(count)
                    idf = np.log(1 + self.document_count / (1 + self.index_docs.get(index, 0)))
                    matrix[row, index] = tf * idf
        return matrix

    # -- serialization -----------------------------------------------------------------

    def get_config(self):
        """The settings and the fitted counts (the count tables as JSON strings)."""
        return {
            "num_words": self.num_words,
            "filters": self.filters,
            "lower": self.lower,
            "split": self.split,
            "char_level": self.char_level,
            "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts),
            "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs),
            "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs):
        """The tokenizer as a JSON string (``tokenizer_from_json`` reads it back);
        keyword arguments go to ``json.dumps``."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()}, **kwargs)


def tokenizer_from_json(json_string):
    """A ``Tokenizer`` from ``Tokenizer.to_json()``'s output."""
    try:
        config = dict(json.loads(json_string)["config"])
    except (TypeError, KeyError, ValueError) as error:
        raise ValueError(
            "tokenizer_from_json expects the output of Tokenizer.to_json(). "
            f"Received: {str(json_string)[:80]!r} ({error})"
        ) from None
    word_counts = json.loads(config.pop("word_counts"))
    word_docs = json.loads(config.pop("word_docs"))
    index_docs = {int(k): v for k, v in json.loads(config.pop("index_docs")).items()}
    index_word = {int(k): v for k, v in json.loads(config.pop("index_word")).items()}
    word_index = json.loads(config.pop("word_index"))
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = OrderedDict(word_counts)
    tokenizer.word_docs = defaultdict(int, word_docs)
    tokenizer.index_docs = defaultdict(int, index_docs)
    tokenizer.index_word = index_word
    tokenizer.word_index = word_index
    return tokenizer
