"""timeseries_dataset_from_array: the windows Keras 3 documents, options, errors."""

import numpy as np
import pytest

import lamella
from lamella.engine.sequential import Sequential
from lamella.utils import timeseries_dataset_from_array


def test_documented_sampling_example():
    ds = timeseries_dataset_from_array(np.arange(99), None, sequence_length=10, sampling_rate=2, batch_size=100)
    windows = ds[0]
    assert len(windows) == 81
    np.testing.assert_array_equal(windows[0], [0, 2, 4, 6, 8, 10, 12, 14, 16, 18])
    np.testing.assert_array_equal(windows[1], [1, 3, 5, 7, 9, 11, 13, 15, 17, 19])
    np.testing.assert_array_equal(windows[-1], [80, 82, 84, 86, 88, 90, 92, 94, 96, 98])


def test_documented_next_step_regression_example():
    data = np.arange(50) * 3
    ds = timeseries_dataset_from_array(data[:-10], data[10:], sequence_length=10, batch_size=8)
    inputs, targets = ds[0]
    np.testing.assert_array_equal(inputs[0], data[:10])
    assert targets[0] == data[10]
    assert sum(len(ds[i][0]) for i in range(len(ds))) == 31


def test_stride_start_end_and_unbatched():
    data = np.arange(30).reshape(30, 1)
    ds = timeseries_dataset_from_array(data, np.arange(30) * 10, sequence_length=3, sequence_stride=4,
                                       start_index=2, end_index=20, batch_size=None)
    windows = [ds[i] for i in range(len(ds))]
    np.testing.assert_array_equal([w[0][:, 0].tolist() for w in windows],
                                  [[2, 3, 4], [6, 7, 8], [10, 11, 12], [14, 15, 16]])
    assert [int(w[1]) for w in windows] == [20, 60, 100, 140]


def test_shuffle_keeps_windows_and_targets_together_and_is_seeded():
    data = np.arange(40)
    first = timeseries_dataset_from_array(data, data * 2, sequence_length=4, shuffle=True, seed=3, batch_size=64)
    second = timeseries_dataset_from_array(data, data * 2, sequence_length=4, shuffle=True, seed=3, batch_size=64)
    x, y = first[0]
    np.testing.assert_array_equal(x, second[0][0])
    np.testing.assert_array_equal(y, 2 * x[:, 0])
    assert not np.array_equal(x[:, 0], np.sort(x[:, 0]))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"sequence_length": 0}, "sequence_length must be a positive integer. Received: sequence_length=0"),
        ({"sequence_length": 2, "sampling_rate": 0}, "Received: sampling_rate=0"),
        ({"sequence_length": 2, "start_index": 10}, r"start_index must be in \[0, 10\)"),
        ({"sequence_length": 2, "end_index": 11}, "Received: end_index=11"),
        ({"sequence_length": 2, "targets": np.zeros(9)}, "same number of time steps"),
    ],
)
def test_errors_are_named(kwargs, message):
    kwargs.setdefault("targets", None)
    with pytest.raises(ValueError, match=message):
        timeseries_dataset_from_array(np.arange(10), **kwargs)


def test_fit_trains_on_the_windows(linear, plain_sgd, squared_error_loss):
    series = np.sin(np.arange(300) * 0.2).astype(np.float32)
    # Two steps predict the next: sin(t) = 2 cos(0.2) sin(t - 0.2) - sin(t - 0.4).
    ds = timeseries_dataset_from_array(series[:-2], series[2:], sequence_length=2, batch_size=32)
    lamella.utils.set_random_seed(0)
    model = Sequential([lamella.Input((2,)), linear(1)])
    model.compile(optimizer=plain_sgd(0.2), loss=squared_error_loss)
    history = model.fit(ds, epochs=60, verbose=0)
    assert history.history["loss"][-1] < 0.01 < np.var(series) / 20
