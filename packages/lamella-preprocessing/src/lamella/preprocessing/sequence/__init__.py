"""``lamella.preprocessing.sequence``: sequence utilities (Keras 2 API)."""

from lamella.preprocessing.sequence.pad_sequences import pad_sequences
from lamella.preprocessing.sequence.sampling_table import make_sampling_table
from lamella.preprocessing.sequence.skipgrams import skipgrams
from lamella.preprocessing.sequence.timeseries_generator import TimeseriesGenerator

__all__ = ["TimeseriesGenerator", "make_sampling_table", "pad_sequences", "skipgrams"]
