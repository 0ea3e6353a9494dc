"""``PyDataset`` (Keras 2: ``Sequence``): batches by index, loaded by workers."""


class PyDataset:
    """A dataset of batches, each returned by ``__getitem__(index)``.

    Subclass it and write ``__len__`` (the number of batches per epoch; or the
    ``num_batches`` property, ``None`` for an endless dataset) and
    ``__getitem__(index)`` returning a batch: ``x``, ``(x, y)`` or
    ``(x, y, sample_weight)``, each an array, a list of arrays or a dict of arrays.
    ``on_epoch_begin`` / ``on_epoch_end`` run around every epoch (re-shuffle your
    files there). ``fit``, ``evaluate`` and ``predict`` take it as ``x``.

    Because every batch has an index, ``fit(shuffle=True)`` visits the batches in a
    new random order each epoch, and batches can be loaded in parallel: with
    ``workers > 1``, that many threads call ``__getitem__`` ahead of the training
    (with ``use_multiprocessing=True``, processes: the dataset must then be
    picklable and its class importable). At most ``max_queue_size`` batches wait.

    Args:
        workers: the number of threads (or processes) loading batches; ``1`` loads
            them in the engine's prefetching thread.
        use_multiprocessing: load batches in processes instead of threads (for
            Python-heavy, GIL-bound loading).
        max_queue_size: how many batches may be loaded ahead.

    Example:

    >>> class Squares(PyDataset):
    ...     def __len__(self):
    ...         return 4
    ...     def __getitem__(self, index):
    ...         x = np.arange(8, dtype="float32").reshape(8, 1) + 8 * index
    ...         return x, x**2
    >>> len(Squares())
    4
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(
                f"PyDataset expected a positive integer for workers. Received: workers={workers!r}"
            )
        if isinstance(max_queue_size, bool) or not isinstance(max_queue_size, int) or max_queue_size < 1:
            raise ValueError(
                "PyDataset expected a positive integer for max_queue_size. "
                f"Received: max_queue_size={max_queue_size!r}"
            )
        self._workers = workers
        self._use_multiprocessing = bool(use_multiprocessing)
        self._max_queue_size = max_queue_size

    # A subclass that forgets to call super().__init__() still works with defaults.
    @property
    def workers(self):
        return getattr(self, "_workers", 1)

    @workers.setter
    def workers(self, value):
        self._workers = value

    @property
    def use_multiprocessing(self):
        return getattr(self, "_use_multiprocessing", False)

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = bool(value)

    @property
    def max_queue_size(self):
        return getattr(self, "_max_queue_size", 10)

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = value

    def __getitem__(self, index):
        raise NotImplementedError(
            f"{type(self).__name__} must define __getitem__(index), returning batch "
            "number `index`."
        )

    def __len__(self):
        raise NotImplementedError(
            f"{type(self).__name__} must define __len__ (the number of batches), or "
            "the num_batches property (None for an endless dataset)."
        )

    @property
    def num_batches(self):
        """The number of batches per epoch (``None``: endless). Default ``len(self)``."""
        if type(self).__len__ is PyDataset.__len__:
            return None
        return len(self)

    def on_epoch_begin(self):
        """Called before each epoch."""

    def on_epoch_end(self):
        """Called after each epoch."""

    def __iter__(self):
        count = self.num_batches
        index = 0
        while count is None or index < count:
            yield self[index]
            index += 1


# Keras 2's name for the same thing.
Sequence = PyDataset
