"""The data utilities of ``lamella.utils`` feed ``fit``, ``evaluate`` and ``predict``
directly: image and text datasets read from folders, a split PyDataset, a timeseries
dataset, a plain Python iterable of batches. Each trains a small model that learns."""

import numpy as np
from PIL import Image

import lamella
from lamella import layers
from lamella.utils import (
    PyDataset,
    image_dataset_from_directory,
    split_dataset,
    text_dataset_from_directory,
    timeseries_dataset_from_array,
)


def _write_images(folder, rng, per_class=24):
    for label, name in enumerate(["dark", "light"]):
        (folder / name).mkdir()
        for i in range(per_class):
            base = 40 if label == 0 else 200
            pixels = np.clip(rng.normal(base, 25, (10, 10, 3)), 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(folder / name / f"{i}.png")


def test_image_dataset_from_directory_feeds_fit_evaluate_and_predict(tmp_path, rng):
    _write_images(tmp_path, rng)
    train, val = image_dataset_from_directory(
        tmp_path, image_size=(10, 10), batch_size=8, validation_split=0.25, subset="both", seed=3,
        label_mode="binary", verbose=False)
    lamella.utils.set_random_seed(0)
    model = lamella.Sequential([
        # Centred pixels: with [0, 1] inputs, Adam(0.05) overshot and the last epoch
        # could land on a poor step (the test depended on the initial weights).
        lamella.Input((10, 10, 3)), layers.Rescaling(1 / 127.5, offset=-1), layers.Flatten(),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=lamella.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(train, validation_data=val, epochs=8, verbose=0)
    assert history.history["val_accuracy"][-1] == 1.0
    _, accuracy = model.evaluate(val, verbose=0)
    assert accuracy == 1.0
    # In file order (a shuffled dataset draws another order at every pass).
    every = image_dataset_from_directory(tmp_path, image_size=(10, 10), batch_size=8, shuffle=False,
                                         label_mode="binary", verbose=False)
    predicted = model.predict(every, verbose=0)
    labels = np.concatenate([every[i][1] for i in range(len(every))])
    assert predicted.shape == labels.shape == (48, 1)
    assert ((predicted > 0.5) == (labels > 0.5)).mean() > 0.95


def test_text_dataset_from_directory_feeds_a_text_vectorization_model(tmp_path, rng):
    words = {"neg": ["bad", "awful", "dull"], "pos": ["good", "great", "fine"]}
    filler = ["the", "film", "was", "and", "plot"]
    for label, vocabulary in words.items():
        (tmp_path / label).mkdir()
        for i in range(30):
            text = " ".join(list(rng.choice(filler, 4)) + list(rng.choice(vocabulary, 2)))
            (tmp_path / label / f"{i}.txt").write_text(text)
    train, val = text_dataset_from_directory(tmp_path, batch_size=10, validation_split=0.2, subset="both",
                                             seed=1, verbose=False)
    vectorize = layers.TextVectorization(max_tokens=20, output_mode="multi_hot")
    vectorize.adapt(np.concatenate([train[i][0] for i in range(len(train))]))
    lamella.utils.set_random_seed(0)
    model = lamella.Sequential([
        lamella.Input(shape=(), dtype="string"), vectorize, layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=lamella.optimizers.Adam(0.1), loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(train, epochs=10, verbose=0)
    assert model.evaluate(val, verbose=0)[1] == 1.0


class Pairs(PyDataset):
    def __init__(self, x, y, size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.size = x, y, size

    def __len__(self):
        return len(self.x) // self.size

    def __getitem__(self, index):
        part = slice(index * self.size, (index + 1) * self.size)
        return self.x[part], self.y[part]


def test_split_dataset_halves_feed_fit_and_evaluate(rng):
    x = rng.normal(size=(96, 3)).astype(np.float32)
    y = x @ np.array([[1.0], [-1.0], [2.0]], np.float32)
    train, test = split_dataset(Pairs(x, y, 8), left_size=0.75, shuffle=True, seed=0)
    assert (len(train), len(test)) == (9, 3)
    lamella.utils.set_random_seed(0)
    model = lamella.Sequential([lamella.Input((3,)), layers.Dense(1)])
    model.compile(optimizer=lamella.optimizers.SGD(0.1), loss="mse")
    model.fit(train, epochs=20, verbose=0)
    assert model.evaluate(test, verbose=0) < 1e-3
    arrays_train, arrays_test = split_dataset((x, y), right_size=16)
    assert len(arrays_train[0]) == 80 and len(arrays_test[1]) == 16


def test_timeseries_dataset_and_a_plain_iterable_feed_predict(rng):
    series = np.sin(np.arange(200, dtype=np.float32) / 5)[:, None]
    data = timeseries_dataset_from_array(series[:-4], series[4:, 0], sequence_length=4, batch_size=16)
    lamella.utils.set_random_seed(0)
    model = lamella.Sequential([lamella.Input((4, 1)), layers.Flatten(), layers.Dense(1)])
    model.compile(optimizer=lamella.optimizers.Adam(0.05), loss="mse")
    model.fit(data, epochs=30, verbose=0)
    assert model.evaluate(data, verbose=0) < 1e-3
    windows = np.stack([series[i:i + 4] for i in range(0, 40)])
    as_iterable = [windows[i:i + 8] for i in range(0, 40, 8)]
    np.testing.assert_allclose(model.predict(iter(as_iterable), verbose=0), model.predict(windows, verbose=0),
                               rtol=1e-5, atol=1e-6)
