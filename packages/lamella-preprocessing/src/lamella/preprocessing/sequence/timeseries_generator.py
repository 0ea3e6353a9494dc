"""``TimeseriesGenerator``: batches of sliding windows over a time series."""

import json

import numpy as np

from lamella.utils.py_dataset import PyDataset


class TimeseriesGenerator(PyDataset):
    """Batches of windows over ``data`` with the target of each window's next step.

    Window ``i`` ends just before row ``r_i`` and holds rows ``r_i - length,
    r_i - length + sampling_rate, ..., r_i - 1`` (every ``sampling_rate``-th);
    its target is ``targets[r_i]``. The rows ``r_i`` run from ``start_index +
    length`` to ``end_index`` (included) by ``stride``, ``batch_size`` windows
    per batch. With ``shuffle``, each batch draws its rows at random (with
    replacement), as Keras 2 does. A ``PyDataset``: ``fit`` takes it directly.

    Args:
        data: an array (or list) of time steps, first axis the time.
        targets: the targets, one per time step (``len(targets) == len(data)``).
        length: the span of a window, in time steps (before sampling).
        sampling_rate: keep every ``sampling_rate``-th step of a window.
        stride: the step between two consecutive windows.
        start_index: the first time step used as a window's start.
        end_index: the last time step used as a target (default the last one).
        shuffle: draw the windows of each batch at random.
        reverse: give each window's steps in reverse order.
        batch_size: windows per batch (the last batch may be smaller).

    Output:
        Batch ``i`` is ``(samples, targets)`` of shapes
        ``(batch, length // sampling_rate, ...)`` and ``(batch, ...)``.

    Example:

    >>> data = np.arange(50).reshape(50, 1)
    >>> generator = TimeseriesGenerator(data, data, length=10, sampling_rate=2, batch_size=2)
    >>> len(generator)
    20
    >>> x, y = generator[0]
    >>> x[:, :, 0].tolist(), y[:, 0].tolist()
    ([[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]], [10, 11])
    """

    def __init__(self, data, targets, length, sampling_rate=1, stride=1, start_index=0,
                 end_index=None, shuffle=False, reverse=False, batch_size=128, **kwargs):
        super().__init__(**kwargs)
        if len(data) != len(targets):
            raise ValueError(
                "Data and targets have to be of same length. Data length is "
                f"{len(data)} while target length is {len(targets)}"
            )
        for name, value in (("length", length), ("sampling_rate", sampling_rate),
                            ("stride", stride), ("batch_size", batch_size)):
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
                raise ValueError(
                    f"TimeseriesGenerator expected a positive integer for {name}. "
                    f"Received: {name}={value!r}"
                )
        self.data = data
        self.targets = targets
        self.length = int(length)
        self.sampling_rate = int(sampling_rate)
        self.stride = int(stride)
        self.start_index = start_index + length
        self.end_index = len(data) - 1 if end_index is None else end_index
        self.shuffle = shuffle
        self.reverse = reverse
        self.batch_size = int(batch_size)
        if self.start_index > self.end_index:
            raise ValueError(
                f"`start_index+length={self.start_index} > end_index={self.end_index}` is "
                "disallowed, as no part of the sequence would be left to be used as "
                "current step."
            )

    def __len__(self):
        span = self.batch_size * self.stride
        return (self.end_index - self.start_index + span) // span

    def _rows(self, index):
        if self.shuffle:
            return np.random.randint(self.start_index, self.end_index + 1, size=self.batch_size)
        first = self.start_index + self.batch_size * self.stride * index
        return np.arange(first, min(first + self.batch_size * self.stride, self.end_index + 1), self.stride)

    def __getitem__(self, index):
        if not self.shuffle and not 0 <= index < len(self):
            raise IndexError(
                f"TimeseriesGenerator has {len(self)} batches. Received: index={index}"
            )
        rows = self._rows(index)
        samples = np.array([self.data[row - self.length:row:self.sampling_rate] for row in rows])
        targets = np.array([self.targets[row] for row in rows])
        if self.reverse:
            return samples[:, ::-1, ...], targets
        return samples, targets

    def get_config(self):
        """The generator's settings and its data (as JSON strings)."""

        def as_json(values, what):
            values = values.tolist() if isinstance(values, np.ndarray) else values
            try:
                return json.dumps(values)
            except TypeError as error:
                raise TypeError(f"TimeseriesGenerator {what} are not JSON serializable: {error}") from None

        return {
            "data": as_json(self.data, "data"),
            "targets": as_json(self.targets, "targets"),
            "length": self.length,
            "sampling_rate": self.sampling_rate,
            "stride": self.stride,
            "start_index": self.start_index - self.length,
            "end_index": self.end_index,
            "shuffle": self.shuffle,
            "reverse": self.reverse,
            "batch_size": self.batch_size,
        }

    def to_json(self, **kwargs):
        """The generator as JSON (``json.dumps`` keyword arguments accepted)."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()}, **kwargs)
