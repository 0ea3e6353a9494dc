"""A batching queue: concurrent requests share one forward pass.

Request threads ``submit`` one prepared image and wait; a single worker thread takes
the first waiting image, keeps collecting until it has ``max_batch`` images or
``max_delay`` seconds have passed since that first one, runs one ``predict`` on the
whole batch and hands each caller its own row. Only the worker touches the model, so
the model needs no lock and the compiled programs are reused.
"""

import queue
import threading
import time
from concurrent.futures import Future


class BatchingQueue:
    """Groups single-image predictions into batched calls of ``predict_batch``.

    Args:
        predict_batch: ``predict_batch(list of items) -> list of results`` (same length).
        max_batch: the most items in one call.
        max_delay: seconds to wait for more items after the first one arrives.

    Example:

    >>> batcher = BatchingQueue(lambda xs: [x * 2 for x in xs], max_batch=8)
    >>> batcher.submit(21).result()
    42
    >>> batcher.close()
    """

    def __init__(self, predict_batch, max_batch=32, max_delay=0.005):
        if int(max_batch) < 1:
            raise ValueError(f"BatchingQueue expected max_batch >= 1. Received: max_batch={max_batch}")
        if float(max_delay) < 0:
            raise ValueError(f"BatchingQueue expected max_delay >= 0. Received: max_delay={max_delay}")
        self._predict = predict_batch
        self.max_batch = int(max_batch)
        self.max_delay = float(max_delay)
        self._queue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False
        self.batches = 0
        self.items = 0
        self.largest_batch = 0
        self._worker = threading.Thread(target=self._run, name="lamella-resnet-batcher", daemon=True)
        self._worker.start()

    def submit(self, item):
        """Queues one item; returns a ``Future`` of its result."""
        future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("The batching queue is closed.")
            self._queue.put((item, future))
        return future

    def stats(self):
        """``{"batches", "items", "largest_batch", "mean_batch"}`` so far."""
        with self._lock:
            mean = self.items / self.batches if self.batches else 0.0
            return {"batches": self.batches, "items": self.items,
                    "largest_batch": self.largest_batch, "mean_batch": round(mean, 2)}

    def close(self):
        """Stops the worker after the items already queued."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(None)
        self._worker.join()

    def _collect(self, first):
        pending = [first]
        deadline = time.monotonic() + self.max_delay
        while len(pending) < self.max_batch:
            remaining = deadline - time.monotonic()
            try:
                entry = self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait()
            except queue.Empty:
                break
            if entry is None:
                self._queue.put(None)  # seen again by the main loop, after this batch
                break
            pending.append(entry)
        return pending

    def _run(self):
        while True:
            first = self._queue.get()
            if first is None:
                return
            pending = self._collect(first)
            items = [item for item, _ in pending]
            try:
                results = self._predict(items)
                if len(results) != len(items):
                    raise RuntimeError(f"predict_batch returned {len(results)} results for {len(items)} items.")
            except Exception as error:  # noqa: BLE001 - every waiting caller must hear of it
                for _, future in pending:
                    future.set_exception(error)
                continue
            with self._lock:
                self.batches += 1
                self.items += len(items)
                self.largest_batch = max(self.largest_batch, len(items))
            for (_, future), result in zip(pending, results):
                future.set_result(result)
