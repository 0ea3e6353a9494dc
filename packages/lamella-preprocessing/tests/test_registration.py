"""lamella-preprocessing registers its utilities through its entry point."""

import importlib.metadata

import lamella
from lamella import preprocessing
from lamella.plugins import get_registry


def test_pad_sequences_is_registered_by_lamella_preprocessing():
    entry = get_registry("preprocessors").lookup("pad_sequences")
    assert entry.obj is preprocessing.sequence.pad_sequences
    assert entry.provider.distribution == "lamella-preprocessing"


def test_the_facade_reaches_the_distribution():
    assert lamella.preprocessing is preprocessing
    assert preprocessing.__version__ == importlib.metadata.version("lamella-preprocessing")


def test_every_utility_is_registered_under_its_name():
    from lamella.preprocessing._plugin import registered_objects

    registry = get_registry("preprocessors")
    for obj in registered_objects():
        entry = registry.lookup(obj.__name__)
        assert entry.obj is obj
        assert entry.provider.distribution == "lamella-preprocessing"
    assert registry.lookup("Tokenizer").obj is preprocessing.text.Tokenizer
