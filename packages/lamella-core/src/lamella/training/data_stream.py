"""Data that arrives batch by batch: generators, iterables and ``PyDataset``.

``fit``, ``evaluate`` and ``predict`` accept, instead of arrays, anything that
yields batches: a generator or iterator, any iterable (re-iterated every epoch), or
a ``PyDataset`` (batches by index, loaded by workers). A batch is ``x``, ``(x,)``,
``(x, y)`` or ``(x, y, sample_weight)`` (a list is read as a tuple, as Keras does),
each part an array, a list of arrays or a dict of arrays.

``BatchSource`` turns each of these into one iterator of raw batches per epoch;
``BatchChecker`` converts a raw batch to numpy, checks it (one batch size across
its arrays, the same structure as the first batch) and runs the model's host stage.
"""

import concurrent.futures
import itertools
import multiprocessing
import random
import threading

import jax
import numpy as np

from lamella.training import data_adapter


def is_stream(x):
    """Whether ``x`` is batch-by-batch data (not arrays, lists or dicts of arrays)."""
    from lamella.utils.py_dataset import PyDataset

    if isinstance(x, PyDataset):
        return True
    if x is None or isinstance(x, np.ndarray | jax.Array | list | tuple | dict | str | bytes):
        return False
    if hasattr(x, "__array__") or hasattr(x, "__jax_array__"):
        return False
    return hasattr(x, "__iter__") or hasattr(x, "__next__")


def unpack_batch(batch):
    """``(x, y, sample_weight)`` of one batch (missing parts are ``None``)."""
    if isinstance(batch, list):
        batch = tuple(batch)
    if not isinstance(batch, tuple):
        return batch, None, None
    if len(batch) == 1:
        return batch[0], None, None
    if len(batch) == 2:
        return batch[0], batch[1], None
    if len(batch) == 3:
        return batch
    raise ValueError(
        "A batch is x, (x,), (x, y) or (x, y, sample_weight). Received a tuple of "
        f"{len(batch)} elements."
    )


class BatchSource:
    """One iterator of raw batches per epoch, whatever ``data`` is.

    Args:
        data: a ``PyDataset``, an iterator (consumed across epochs: each epoch
            continues where the last one stopped) or an iterable (iterated afresh
            every epoch).
        shuffle: visit a ``PyDataset``'s batches in a new random order each epoch.
        steps: batches per epoch (``None``: until the data ends).
    """

    def __init__(self, data, shuffle=False, steps=None):
        from lamella.utils.py_dataset import PyDataset

        self.data = data
        self.shuffle = bool(shuffle)
        self.steps = None if steps is None else int(steps)
        if self.steps is not None and self.steps < 1:
            raise ValueError(f"steps must be a positive integer. Received: steps={steps!r}")
        self.is_dataset = isinstance(data, PyDataset)
        self._iterator = None
        self._pushed_back = []
        self.exhausted = False
        if not self.is_dataset:
            iterator = iter(data)
            self._one_shot = iterator is data
            if self._one_shot:
                self._iterator = iterator

    @property
    def num_batches(self):
        """Batches per epoch, or ``None`` when only the data's end will tell."""
        if self.is_dataset:
            count = self.data.num_batches
            return count if self.steps is None else self.steps if count is None else min(count, self.steps)
        if self.steps is not None:
            return self.steps
        try:
            return len(self.data)
        except TypeError:
            return None

    def first_batch(self):
        """The first batch (to build the model); it is still yielded by the first
        epoch of an iterator."""
        if self.is_dataset:
            return self.data[0]
        if self._one_shot:
            try:
                batch = next(self._iterator)
            except StopIteration:
                raise ValueError("The data yielded no batch: the generator is empty.") from None
            self._pushed_back.append(batch)
            return batch
        for batch in self.data:
            return batch
        raise ValueError("The data yielded no batch: the iterable is empty.")

    def epoch(self):
        """The raw batches of one epoch (at most ``steps``)."""
        if self.is_dataset:
            batches = self._dataset_epoch()
        elif self._one_shot:
            batches = self._shared_iterator()
        else:
            batches = iter(self.data)
        if self.steps is not None:
            batches = itertools.islice(batches, self.steps)
        return batches

    def _shared_iterator(self):
        while self._pushed_back:
            yield self._pushed_back.pop(0)
        for batch in self._iterator:
            yield batch
        self.exhausted = True

    def _dataset_epoch(self):
        dataset = self.data
        dataset.on_epoch_begin()
        count = dataset.num_batches
        if count is None:
            indices = itertools.count()
        else:
            order = list(range(count))
            if self.shuffle:
                random.Random(_epoch_seed()).shuffle(order)
            indices = iter(order)
        try:
            if dataset.workers > 1 or dataset.use_multiprocessing:
                yield from _parallel_items(dataset, indices)
            else:
                for index in indices:
                    yield dataset[index]
        finally:
            dataset.on_epoch_end()


def _epoch_seed():
    from lamella.random.host_rng import host_rng

    return int(host_rng().integers(2**31))


# -- parallel loading of PyDataset items ----------------------------------------------

_worker_dataset = None


def _init_worker(dataset):
    global _worker_dataset
    _worker_dataset = dataset


def _get_item(index):
    return _worker_dataset[index]


def _parallel_items(dataset, indices):
    """``dataset[i]`` for ``i`` in ``indices``, in order, loaded by ``dataset.workers``
    threads (or processes) at most ``max_queue_size`` ahead."""
    ahead = max(dataset.max_queue_size, dataset.workers)
    if dataset.use_multiprocessing:
        # "spawn": forking a process that runs XLA's threads can deadlock.
        executor = concurrent.futures.ProcessPoolExecutor(
            dataset.workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker, initargs=(dataset,),
        )
        fetch = _get_item
    else:
        executor = concurrent.futures.ThreadPoolExecutor(dataset.workers)
        fetch = dataset.__getitem__
    pending = []
    try:
        for index in indices:
            pending.append(executor.submit(fetch, index))
            if len(pending) >= ahead:
                yield pending.pop(0).result()
        while pending:
            yield pending.pop(0).result()
    finally:
        for future in pending:
            future.cancel()
        executor.shutdown(wait=True, cancel_futures=True)


# -- checking and converting batches -------------------------------------------------


class BatchChecker:
    """Converts raw batches to numpy ``(x, y_list, sw_list)`` trees and checks them.

    Args:
        engine: the engine (its output names and host stage).
        class_weight: ``{class: weight}`` turned into sample weights per batch.
        with_targets: whether ``y`` and ``sample_weight`` are kept (not for predict).
    """

    def __init__(self, engine, class_weight=None, with_targets=True):
        self.engine = engine
        self.class_weight = class_weight
        self.with_targets = with_targets
        self._structure = None
        self._input_shapes = set()
        self._lock = threading.Lock()

    def __call__(self, raw, index):
        from lamella.training.trainer import _convert_structure

        x, y, sample_weight = unpack_batch(raw)
        where = f"batch {index}"
        if x is None:
            raise ValueError(f"The data's {where} has no inputs x (received None).")
        x = self.engine.host_stage.apply(_convert_structure(x, f"x of {where}"))
        if not self.with_targets:
            data_adapter.num_samples(jax.tree.leaves(x))
            self._check_inputs(x)
            return x
        names = self.engine.output_names
        y_list = data_adapter.flatten_targets(names, _convert_structure(y, "y"), f"y of {where}")
        if sample_weight is not None:
            sw_list = data_adapter.flatten_targets(
                names, _convert_structure(sample_weight, "sample_weight"), f"sample_weight of {where}"
            )
        else:
            sw_list = [None] * len(names)
        if self.class_weight is not None:
            if y_list[0] is None:
                raise ValueError("class_weight needs targets y in every batch.")
            weights = data_adapter.class_weight_to_sample_weight(y_list[0], self.class_weight)
            sw_list[0] = weights if sw_list[0] is None else sw_list[0] * weights
        tree = (x, y_list, sw_list)
        self._check(tree, where)
        self._check_inputs(x)
        return tree

    def _check_inputs(self, x):
        # Batches of new shapes are checked against the model's inputs (a wrong
        # feature count fails naming the layer, not deep inside a trace).
        shapes = tuple(tuple(a.shape[1:]) for a in jax.tree.leaves(x))
        with self._lock:
            if shapes in self._input_shapes:
                return
            self._input_shapes.add(shapes)
        model = self.engine.steps.model
        if getattr(model, "inputs", None) and not self.engine.host_stage.active:
            from lamella.engine.model_structure import check_data_against_inputs

            check_data_against_inputs(model, x)

    def _check(self, tree, where):
        leaves = [a for a in jax.tree.leaves(tree) if a is not None]
        sizes = {a.shape[0] if a.ndim else None for a in leaves}
        if len(sizes) != 1 or None in sizes:
            raise ValueError(
                f"The data's {where} is inconsistent: every array of a batch must hold "
                "the same number of samples (first dimension). Received arrays of "
                f"shapes {[tuple(a.shape) for a in leaves]}."
            )
        structure = jax.tree.structure(tree)
        with self._lock:
            if self._structure is None:
                self._structure = structure
                return
        if structure != self._structure:
            raise ValueError(
                f"The data's {where} does not have the structure of the first batch "
                "(inputs, targets and sample weights must be present in every batch "
                f"or in none). First batch: {self._structure}; {where}: {structure}."
            )
