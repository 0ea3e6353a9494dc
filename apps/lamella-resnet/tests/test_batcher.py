import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from lamella_resnet.batcher import BatchingQueue


def test_concurrent_submissions_share_batches_and_get_their_own_results():
    calls = []
    gate = threading.Event()

    def predict(items):
        gate.wait(5)  # the first call waits until all submissions are queued
        calls.append(len(items))
        return [item * 10 for item in items]

    batcher = BatchingQueue(predict, max_batch=8, max_delay=0.05)
    try:
        futures = [batcher.submit(i) for i in range(20)]
        gate.set()
        assert [f.result(5) for f in futures] == [i * 10 for i in range(20)]
    finally:
        batcher.close()
    assert sum(calls) == 20
    assert max(calls) == 8 and len(calls) < 20
    stats = batcher.stats()
    assert stats["items"] == 20 and stats["largest_batch"] == 8 and stats["batches"] == len(calls)


def test_threads_submitting_together_are_batched():
    batcher = BatchingQueue(lambda items: [(x, len(items)) for x in items], max_batch=16, max_delay=0.02)
    try:
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda x: batcher.submit(x).result(5), range(64)))
    finally:
        batcher.close()
    assert [x for x, _ in results] == list(range(64))
    assert max(size for _, size in results) > 1


def test_an_error_in_predict_reaches_every_caller_and_the_queue_goes_on():
    def predict(items):
        if "bad" in items:
            raise ValueError("bad item")
        return items

    batcher = BatchingQueue(predict, max_batch=4, max_delay=0.0)
    try:
        with pytest.raises(ValueError, match="bad item"):
            batcher.submit("bad").result(5)
        assert batcher.submit("good").result(5) == "good"
    finally:
        batcher.close()
    with pytest.raises(RuntimeError, match="closed"):
        batcher.submit("late")


def test_batching_queue_validates_its_arguments():
    with pytest.raises(ValueError, match="max_batch >= 1. Received: max_batch=0"):
        BatchingQueue(lambda items: items, max_batch=0)
