"""``Iterator``: the base of the ``ImageDataGenerator`` iterators (Keras 2 API).

An iterator is a ``PyDataset`` (``fit`` reads batch ``i`` with ``it[i]``, loads
batches with workers, reshuffles at epoch ends) and also an endless Python
iterator (``next(it)``), as in Keras 2.

Randomness: the sample order of an epoch and the augmentations of each batch are
drawn from generators seeded by ``seed`` (a batch's from ``seed`` plus the number
of batches drawn before it), so a seeded iterator yields the same batches in every
run; without a seed they come from numpy's global generator.
"""

import threading

import numpy as np

from lamella.utils.py_dataset import PyDataset


class Iterator(PyDataset):
    """Batches of ``batch_size`` indices into ``n`` samples.

    Args:
        n: the number of samples.
        batch_size: the batch size.
        shuffle: draw a new sample order every epoch.
        seed: makes the order and the augmentations reproducible.
    """

    white_list_formats = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")

    def __init__(self, n, batch_size, shuffle, seed):
        super().__init__()
        if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer. Received: batch_size={batch_size!r}")
        self.n = int(n)
        self.batch_size = int(batch_size)
        self.seed = seed
        self.shuffle = shuffle
        self.batch_index = 0
        self.total_batches_seen = 0
        self.lock = threading.Lock()
        self.index_array = None
        self._order_rng = np.random.RandomState(seed) if seed is not None else np.random
        self.index_generator = self._flow_index()

    def _set_index_array(self):
        self.index_array = self._order_rng.permutation(self.n) if self.shuffle else np.arange(self.n)

    def _batch_rng(self):
        """The generator of the next batch's augmentations (call under the lock)."""
        rng = np.random.RandomState(self.seed + self.total_batches_seen) if self.seed is not None else np.random
        self.total_batches_seen += 1
        return rng

    def __getitem__(self, idx):
        if not 0 <= idx < len(self):
            raise ValueError(f"Asked to retrieve element {idx}, but the Sequence has length {len(self)}")
        with self.lock:
            rng = self._batch_rng()
            if self.index_array is None:
                self._set_index_array()
            indices = self.index_array[self.batch_size * idx:self.batch_size * (idx + 1)]
        return self._get_batches_of_transformed_samples(indices, rng)

    def __len__(self):
        return (self.n + self.batch_size - 1) // self.batch_size

    def on_epoch_end(self):
        with self.lock:
            self._set_index_array()

    def reset(self):
        self.batch_index = 0

    def _flow_index(self):
        self.reset()
        while True:
            if self.batch_index == 0:
                self._set_index_array()
            current = (self.batch_index * self.batch_size) % self.n if self.n else 0
            if self.n > current + self.batch_size:
                self.batch_index += 1
            else:
                self.batch_index = 0
            yield self.index_array[current:current + self.batch_size]

    def __iter__(self):
        return self

    def __next__(self):
        with self.lock:
            indices = next(self.index_generator)
            rng = self._batch_rng()
        return self._get_batches_of_transformed_samples(indices, rng)

    next = __next__

    def _get_batches_of_transformed_samples(self, index_array, rng):
        raise NotImplementedError(f"{type(self).__name__} must define _get_batches_of_transformed_samples")
