"""TimeseriesGenerator: the windows Keras 2 documents, options, errors, fit."""

import json

import numpy as np
import pytest

import lamella
from lamella.preprocessing.sequence import TimeseriesGenerator
from lamella.testing import Linear, PlainSGD, squared_error

DATA = np.arange(50).reshape(50, 1)


def test_the_documented_example():
    generator = TimeseriesGenerator(DATA, DATA, length=10, sampling_rate=2, batch_size=2)
    assert len(generator) == 20
    x, y = generator[0]
    np.testing.assert_array_equal(x, [[[0], [2], [4], [6], [8]], [[1], [3], [5], [7], [9]]])
    np.testing.assert_array_equal(y, [[10], [11]])
    x, y = generator[19]
    np.testing.assert_array_equal(x[:, :, 0], [[38, 40, 42, 44, 46], [39, 41, 43, 45, 47]])
    np.testing.assert_array_equal(y[:, 0], [48, 49])


def test_stride_start_end_reverse_and_a_short_last_batch():
    generator = TimeseriesGenerator(DATA, DATA * 10, length=3, stride=2, start_index=5,
                                    end_index=20, reverse=True, batch_size=4)
    # Targets at rows 8, 10, ..., 20: 7 windows, batches of 4 and 3.
    assert len(generator) == 2
    x, y = generator[0]
    np.testing.assert_array_equal(y[:, 0], [80, 100, 120, 140])
    np.testing.assert_array_equal(x[0, :, 0], [7, 6, 5])
    x, y = generator[1]
    np.testing.assert_array_equal(y[:, 0], [160, 180, 200])
    with pytest.raises(IndexError, match="2 batches. Received: index=2"):
        generator[2]


def test_shuffled_batches_draw_valid_windows_with_their_targets():
    np.random.seed(0)
    generator = TimeseriesGenerator(DATA, DATA + 100, length=4, shuffle=True, batch_size=16)
    x, y = generator[0]
    assert x.shape == (16, 4, 1)
    np.testing.assert_array_equal(y[:, 0] - 100, x[:, -1, 0] + 1)  # target = next step
    np.testing.assert_array_equal(np.diff(x[:, :, 0], axis=1), 1)


def test_errors_are_named():
    with pytest.raises(ValueError, match="Data length is 50 while target length is 49"):
        TimeseriesGenerator(DATA, DATA[1:], length=3)
    with pytest.raises(ValueError, match=r"`start_index\+length=50 > end_index=49`"):
        TimeseriesGenerator(DATA, DATA, length=50)
    with pytest.raises(ValueError, match="positive integer for length. Received: length=0"):
        TimeseriesGenerator(DATA, DATA, length=0)


def test_config_and_json():
    generator = TimeseriesGenerator(DATA[:8], DATA[:8], length=2, batch_size=3)
    config = json.loads(generator.to_json())["config"]
    assert json.loads(config["data"]) == DATA[:8].tolist()
    assert config["length"] == 2 and config["start_index"] == 0 and config["end_index"] == 7


def test_fit_learns_from_the_generator():
    series = np.sin(np.arange(200) * 0.3).astype(np.float32)[:, None]
    generator = TimeseriesGenerator(series, series, length=2, batch_size=32)
    # lamella-preprocessing depends on core alone: flatten the windows on the host.
    flat = [(x.reshape(len(x), -1), y) for x, y in (generator[i] for i in range(len(generator)))]

    class Windows(lamella.utils.PyDataset):
        def __len__(self):
            return len(flat)

        def __getitem__(self, index):
            return flat[index]

    lamella.utils.set_random_seed(0)
    model = lamella.Sequential([lamella.Input((2,)), Linear(1)])
    model.compile(optimizer=PlainSGD(0.2), loss=squared_error)
    history = model.fit(Windows(), epochs=40, verbose=0)
    # sin(t) = 2 cos(0.3) sin(t - 0.3) - sin(t - 0.6): linear in the window.
    assert history.history["loss"][-1] < history.history["loss"][0] / 20
