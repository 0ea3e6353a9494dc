"""``PyDataset`` / ``Sequence``: the contract, its errors, and loading by workers."""

import os
import sys
import textwrap

import numpy as np
import pytest

from lamella.training.data_stream import BatchSource
from lamella.utils import PyDataset, Sequence


class Squares(PyDataset):
    def __init__(self, count=4, **kwargs):
        super().__init__(**kwargs)
        self.count = count

    def __len__(self):
        return self.count

    def __getitem__(self, index):
        x = np.arange(4, dtype=np.float32)[:, None] + 4 * index
        return x, x**2


def test_sequence_is_the_keras_2_name():
    assert Sequence is PyDataset


def test_len_num_batches_and_iteration():
    dataset = Squares(3)
    assert dataset.num_batches == 3
    batches = list(dataset)
    assert len(batches) == 3
    np.testing.assert_array_equal(batches[2][1][:, 0], [64, 81, 100, 121])


def test_without_len_the_dataset_is_endless_and_needs_steps():
    class Endless(PyDataset):
        def __getitem__(self, index):
            return np.full((2, 1), index, np.float32)

    dataset = Endless()
    assert dataset.num_batches is None
    source = BatchSource(dataset, steps=5)
    assert source.num_batches == 5
    assert [int(b[0, 0]) for b in source.epoch()] == [0, 1, 2, 3, 4]


def test_a_subclass_without_getitem_names_what_is_missing():
    class Empty(PyDataset):
        def __len__(self):
            return 1

    with pytest.raises(NotImplementedError, match="must define __getitem__"):
        Empty()[0]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"workers": 0}, "positive integer for workers. Received: workers=0"),
        ({"workers": 1.5}, "Received: workers=1.5"),
        ({"max_queue_size": 0}, "Received: max_queue_size=0"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Squares(**kwargs)


def test_a_subclass_that_skips_super_init_gets_the_defaults():
    class NoInit(PyDataset):
        def __init__(self):
            pass

        def __len__(self):
            return 1

        def __getitem__(self, index):
            return np.zeros((1, 1))

    dataset = NoInit()
    assert (dataset.workers, dataset.use_multiprocessing, dataset.max_queue_size) == (1, False, 10)


@pytest.mark.parametrize("workers", [1, 3])
def test_threads_load_batches_in_order(workers):
    source = BatchSource(Squares(7, workers=workers, max_queue_size=2))
    firsts = [int(x[0, 0]) for x, _ in source.epoch()]
    assert firsts == [0, 4, 8, 12, 16, 20, 24]


@pytest.mark.slow  # spawning a worker imports numpy and lamella: a few seconds
def test_processes_load_batches(tmp_path, monkeypatch):
    # The dataset's class must be importable by the spawned workers.
    (tmp_path / "spawned_dataset.py").write_text(textwrap.dedent('''
        import os
        import numpy as np
        from lamella.utils import PyDataset

        class Lines(PyDataset):
            def __len__(self):
                return 6

            def __getitem__(self, index):
                x = np.linspace(-1, 1, 8, dtype=np.float32)[:, None] + index / 10
                return x, 3 * x - 1, np.full(8, os.getpid(), np.float32)
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    import spawned_dataset

    dataset = spawned_dataset.Lines(workers=1, use_multiprocessing=True)
    batches = list(BatchSource(dataset).epoch())
    pids = {int(w[0]) for _, _, w in batches}
    assert len(pids) == 1 and os.getpid() not in pids
    np.testing.assert_allclose([x[0, 0] for x, _, _ in batches], [-1 + i / 10 for i in range(6)], rtol=1e-6)
    sys.modules.pop("spawned_dataset", None)
