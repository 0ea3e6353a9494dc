"""``timeseries_dataset_from_array``: batches of sliding windows over an array."""

import numpy as np

from lamella.utils.py_dataset import PyDataset


def _positive(name, value):
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be a positive integer. Received: {name}={value!r}")


class TimeseriesDataset(PyDataset):
    """Windows ``data[start + p : start + p + sequence_length * sampling_rate :
    sampling_rate]`` for the window starts ``p``, with ``targets[start + p]``."""

    def __init__(self, data, targets, starts, sequence_length, sampling_rate, start_index, batch_size, reshuffle, seed):
        super().__init__()
        self.data, self.targets = data, targets
        self.starts = starts
        self.offsets = np.arange(sequence_length) * sampling_rate
        self.start_index = start_index
        self.batch_size = batch_size
        self._reshuffle = reshuffle
        self._rng = np.random.RandomState(seed)

    def __len__(self):
        if self.batch_size is None:
            return len(self.starts)
        return -(-len(self.starts) // self.batch_size)

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"The dataset has {len(self)} batches. Received: index={index}")
        size = 1 if self.batch_size is None else self.batch_size
        starts = self.start_index + self.starts[index * size:(index + 1) * size]
        windows = self.data[starts[:, None] + self.offsets]
        if self.batch_size is None:
            windows, starts = windows[0], starts[0]
        if self.targets is None:
            return windows
        return windows, self.targets[starts]

    def on_epoch_end(self):
        if self._reshuffle:
            self._rng.shuffle(self.starts)


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1, sampling_rate=1,
                                  batch_size=128, shuffle=False, seed=None, start_index=None, end_index=None):
    """Batches of windows over ``data`` (time on the first axis), Keras 3's semantics.

    Window ``i`` starts at time step ``start_index + p_i`` with ``p_i = i *
    sequence_stride`` and holds ``sequence_length`` steps taken every
    ``sampling_rate``; its target is ``targets[start_index + p_i]`` (pass
    ``data[:-delay]`` and ``targets=data[delay:]`` to predict ``delay`` steps ahead).
    Only windows that fit before ``end_index`` (and have a target) are made.

    Args:
        data: an array (or array-like) of time steps.
        targets: the targets, one per time step, or ``None``.
        sequence_length: steps per window.
        sequence_stride: time steps between the starts of two windows.
        sampling_rate: time steps between two steps of a window.
        batch_size: windows per batch, or ``None`` for single windows.
        shuffle: shuffle the windows (and reshuffle them every epoch).
        seed: the shuffling seed.
        start_index, end_index: the time steps used, ``[start_index, end_index)``.

    Returns:
        A ``PyDataset`` of ``(windows, targets)`` (or windows) that ``fit`` takes.

    Example:

    >>> ds = timeseries_dataset_from_array(np.arange(100), None, sequence_length=10,
    ...                                    sampling_rate=2, batch_size=2)
    >>> ds[0].tolist()
    [[0, 2, 4, 6, 8, 10, 12, 14, 16, 18], [1, 3, 5, 7, 9, 11, 13, 15, 17, 19]]
    """
    data = np.asarray(data)
    _positive("sequence_length", sequence_length)
    _positive("sampling_rate", sampling_rate)
    _positive("sequence_stride", sequence_stride)
    if batch_size is not None:
        _positive("batch_size", batch_size)
    start_index = 0 if start_index is None else start_index
    if not 0 <= start_index < len(data):
        raise ValueError(f"start_index must be in [0, {len(data)}) (the data's length). Received: start_index={start_index}")
    end_index = len(data) if end_index is None else end_index
    if not start_index < end_index <= len(data):
        raise ValueError(
            f"end_index must be in ({start_index}, {len(data)}] (after start_index, within the data). "
            f"Received: end_index={end_index}"
        )
    if targets is not None:
        targets = np.asarray(targets)
        if len(targets) != len(data):
            raise ValueError(
                "Expected data and targets to have the same number of time steps (axis 0), "
                f"but got data.shape={data.shape} and targets.shape={targets.shape}."
            )
    count = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        count = min(count, len(targets) - start_index)
    starts = np.arange(0, max(count, 0), sequence_stride)
    if shuffle:
        np.random.RandomState(seed if seed is not None else np.random.randint(1_000_000)).shuffle(starts)
    return TimeseriesDataset(data, targets, starts, sequence_length, sampling_rate, start_index, batch_size,
                             shuffle, seed)
