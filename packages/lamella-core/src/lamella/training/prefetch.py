"""A background thread that puts the next chunk of batches on the device.

While the device trains on one chunk, the thread pulls the next batches from the
user's data (running its Python code: a generator, ``PyDataset.__getitem__``),
converts and checks them, stacks up to ``chunk_size`` batches of the same shapes
into one array per input, and starts the transfer with ``jax.device_put``. At most
``depth`` chunks wait in the queue, so memory stays bounded and a slow consumer
slows the producer.

An exception in the thread (a bad batch, an error in the user's generator) is
raised again in the consumer, with its original traceback.
"""

import queue
import threading

import jax
import numpy as np

_END = object()


class Chunk:
    """``count`` batches of one shape: ``tree`` holds them stacked on a new leading
    axis of length ``size`` (``size >= count``; the slots after ``count`` are unused,
    so that one program serves every chunk) or, when ``stacked`` is false, one batch."""

    def __init__(self, tree, count, size, stacked, first_index):
        self.tree = tree
        self.count = count
        self.size = size
        self.stacked = stacked
        self.first_index = first_index


# On CPU, jax.device_put aliases a 64-byte-aligned numpy buffer instead of copying
# it (even with may_alias=False, measured with jax 0.10.2). So batches are copied
# once, into fresh aligned buffers the user's code never sees: the transfer is then
# free on CPU, and a generator that refills one buffer for every batch cannot change
# a batch already in flight. (On GPU/TPU device_put copies to the device anyway.)
_ALIGNMENT = 64


def _aligned_empty(shape, dtype):
    dtype = np.dtype(dtype)
    size = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    raw = np.empty(size + _ALIGNMENT, np.uint8)
    offset = (-raw.ctypes.data) % _ALIGNMENT
    return raw[offset:offset + size].view(dtype).reshape(shape)


def _private_copy(leaf):
    out = _aligned_empty(leaf.shape, leaf.dtype)
    np.copyto(out, leaf)
    return out


def _signature(tree):
    return jax.tree.structure(tree), tuple(
        (a.shape, a.dtype.str) for a in jax.tree.leaves(tree)
    )


class Prefetcher:
    """Iterates over device ``Chunk``s made from ``batches``.

    Args:
        batches: an iterator of raw batches.
        prepare: ``prepare(raw, index) -> tree of numpy arrays`` (conversion, checks,
            host-side layers); runs in the thread.
        chunk_size: the most batches per chunk; ``1`` sends single batches.
        depth: how many chunks may wait on the device.
        put: ``put(tree, batch_axis) -> device tree``, the transfer (default
            ``jax.device_put``); the engine passes its placement's ``put_batch``,
            which splits batches over a distribution's devices.
    """

    def __init__(self, batches, prepare, chunk_size=1, depth=2, put=None):
        self._batches = batches
        self._prepare = prepare
        self._device_put = put or (lambda tree, batch_axis: jax.device_put(tree))
        self._chunk_size = max(1, int(chunk_size))
        self._queue = queue.Queue(maxsize=max(1, depth))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, name="lamella-prefetch", daemon=True)
        self._thread.start()

    # -- the producer thread -------------------------------------------------------------

    def _put(self, item):
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self):
        try:
            buffer, count, signature, first = None, 0, None, 0
            for index, raw in enumerate(self._batches):
                if self._stop.is_set():
                    return
                tree = self._prepare(raw, index)
                if self._chunk_size == 1:
                    if not self._put(Chunk(self._device_put(jax.tree.map(_private_copy, tree), 0), 1, 1, False, index)):
                        return
                    continue
                current = _signature(tree)
                if count and current != signature:
                    if not self._put(Chunk(self._device_put(buffer, 1), count, self._chunk_size, True, first)):
                        return
                    count = 0
                if not count:
                    signature, first = current, index
                    buffer = jax.tree.map(lambda a: _aligned_empty((self._chunk_size, *a.shape), a.dtype), tree)
                # Copied into the chunk at once: the user's generator may refill its arrays.
                jax.tree.map(lambda out, a, i=count: np.copyto(out[i], a), buffer, tree)
                count += 1
                if count == self._chunk_size:
                    if not self._put(Chunk(self._device_put(buffer, 1), count, self._chunk_size, True, first)):
                        return
                    count = 0
            if count and not self._put(Chunk(self._device_put(buffer, 1), count, self._chunk_size, True, first)):
                return
            self._put(_END)
        except BaseException as error:  # handed to the consumer, raised there
            self._put(error)

    # -- the consumer ------------------------------------------------------------------

    def __iter__(self):
        return self

    def __next__(self):
        item = self._queue.get()
        if item is _END:
            self._queue.put(_END)  # later calls keep ending
            raise StopIteration
        if isinstance(item, BaseException):
            self._queue.put(_END)
            raise item
        return item

    def close(self):
        """Stops the thread (it may be blocked on the data or on a full queue)."""
        self._stop.set()
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._thread.join(timeout=60)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
