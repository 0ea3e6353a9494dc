"""Preprocessing feeding real models: raw strings through TextVectorization, an
ImageDataGenerator over a folder of PNGs, a Tokenizer with pad_sequences, and
augmentation layers inside a compiled convnet-free model."""

import numpy as np
from PIL import Image

import lamella
from lamella import layers
from lamella.preprocessing.image import ImageDataGenerator
from lamella.preprocessing.sequence import pad_sequences
from lamella.preprocessing.text import Tokenizer

POSITIVE = ["good", "great", "fine", "lovely"]
NEGATIVE = ["bad", "awful", "dull", "boring"]
FILLER = ["the", "film", "was", "plot", "acting", "really", "a", "story", "and", "quite"]


def _reviews(n=200, seed=0):
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for i in range(n):
        label = i % 2
        words = list(rng.choice(FILLER, 5)) + list(rng.choice(POSITIVE if label else NEGATIVE, 2))
        rng.shuffle(words)
        texts.append(" ".join(words).capitalize() + "!")
        labels.append(label)
    return np.array(texts), np.array(labels, np.float32)


def test_raw_strings_to_text_vectorization_to_a_classifier():
    texts, labels = _reviews()
    lamella.utils.set_random_seed(0)
    vectorize = layers.TextVectorization(max_tokens=50, output_mode="tf_idf")
    vectorize.adapt(texts[:150])
    text = lamella.Input(shape=(1,), dtype="string")
    hidden = layers.Dense(16, activation="relu")(vectorize(text))
    model = lamella.Model(text, layers.Dense(1, activation="sigmoid")(hidden))
    model.compile(optimizer=lamella.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(texts[:150, None], labels[:150], batch_size=16, epochs=20, verbose=0)
    _, accuracy = model.evaluate(texts[150:, None], labels[150:], verbose=0)
    assert accuracy > 0.95


def test_raw_strings_to_text_vectorization_to_embedding():
    texts, labels = _reviews()
    lamella.utils.set_random_seed(0)
    vectorize = layers.TextVectorization(max_tokens=50, output_sequence_length=8)
    vectorize.adapt(texts[:150])
    model = lamella.Sequential([
        lamella.Input(shape=(1,), dtype="string"), vectorize,
        layers.Embedding(50, 8), layers.Flatten(), layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

    def batches():
        while True:
            for i in range(0, 150, 15):
                yield texts[i:i + 15], labels[i:i + 15]

    model.fit(batches(), steps_per_epoch=10, epochs=20, verbose=0)
    _, accuracy = model.evaluate(texts[150:], labels[150:], verbose=0)
    assert accuracy > 0.9


def test_tokenizer_and_pad_sequences_feed_a_dense_model():
    texts, labels = _reviews()
    lamella.utils.set_random_seed(0)
    tokenizer = Tokenizer(num_words=40, oov_token="<unk>")
    tokenizer.fit_on_texts(texts[:150])
    x = tokenizer.texts_to_matrix(texts, mode="binary").astype(np.float32)
    assert pad_sequences(tokenizer.texts_to_sequences(texts), maxlen=9).shape == (200, 9)
    model = lamella.Sequential([lamella.Input((40,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=lamella.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x[:150], labels[:150], batch_size=16, epochs=30, verbose=0)
    assert model.evaluate(x[150:], labels[150:], verbose=0)[1] > 0.95


def test_image_data_generator_over_pngs_trains_a_classifier(tmp_path):
    rng = np.random.default_rng(0)
    for label, name in enumerate(["horizontal", "vertical"]):
        (tmp_path / name).mkdir()
        for i in range(30):
            pixels = rng.integers(0, 60, (12, 12)).astype(np.uint8)
            line = rng.integers(2, 10)
            if label == 0:
                pixels[line] = 255
            else:
                pixels[:, line] = 255
            Image.fromarray(pixels).save(tmp_path / name / f"{i}.png")
    datagen = ImageDataGenerator(rescale=1 / 255, horizontal_flip=True, vertical_flip=True,
                                 width_shift_range=1, height_shift_range=1, validation_split=0.2)
    options = {"target_size": (12, 12), "color_mode": "grayscale", "batch_size": 8, "seed": 1}
    train = datagen.flow_from_directory(tmp_path, subset="training", **options)
    val = datagen.flow_from_directory(tmp_path, subset="validation", shuffle=False, **options)
    lamella.utils.set_random_seed(0)
    model = lamella.Sequential([
        lamella.Input((12, 12, 1)), layers.Flatten(), layers.Dense(32, activation="relu"),
        layers.Dense(2, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(train, validation_data=val, epochs=25, verbose=0)
    assert history.history["val_accuracy"][-1] >= 0.9


def test_augmentation_and_normalization_layers_inside_a_trained_model():
    rng = np.random.default_rng(1)
    y = (np.arange(96) % 2).astype(np.float32)
    # Bright or dark images: the label survives flips and shifts.
    x = (rng.uniform(0, 200, (96, 8, 8, 3)) + 55 * y[:, None, None, None]).astype(np.float32)
    lamella.utils.set_random_seed(0)
    norm = layers.Normalization(axis=None)
    norm.adapt(x)
    model = lamella.Sequential([
        lamella.Input((8, 8, 3)), layers.RandomFlip(seed=0), layers.RandomTranslation(0.1, 0.1, fill_mode="wrap", seed=0),
        norm, layers.Flatten(), layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=lamella.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=16, epochs=30, verbose=0)
    assert model.evaluate(x, y, verbose=0)[1] > 0.9
