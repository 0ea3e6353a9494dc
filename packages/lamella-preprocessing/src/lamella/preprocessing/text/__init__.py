"""``lamella.preprocessing.text``: the Keras 2 text utilities, on Python and numpy."""

from lamella.preprocessing.text.tokenizer import Tokenizer, tokenizer_from_json
from lamella.preprocessing.text.word_sequence import hashing_trick, one_hot, text_to_word_sequence

__all__ = ["Tokenizer", "hashing_trick", "one_hot", "text_to_word_sequence", "tokenizer_from_json"]
