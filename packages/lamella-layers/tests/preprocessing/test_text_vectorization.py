"""TextVectorization: Keras' documented outputs, modes, options, errors, and fit on
raw strings through the host stage."""

import json

import numpy as np
import pytest

import lamella
from lamella import layers
from lamella.testing import PlainSGD, squared_error

CORPUS = ["foo bar", "bar baz", "baz bada boom"]


def test_adapted_vocabulary_and_int_output_are_keras_documented_ones():
    layer = layers.TextVectorization(max_tokens=5000, output_mode="int", output_sequence_length=4)
    layer.adapt(CORPUS)
    # Ties in frequency are ordered by token, descending (baz before bar).
    assert layer.get_vocabulary() == ["", "[UNK]", "baz", "bar", "foo", "boom", "bada"]
    out = layer(np.array([["foo qux bar"], ["qux baz"]]))
    assert out.dtype == np.int32
    assert out.tolist() == [[4, 1, 3, 0], [1, 2, 0, 0]]


def test_given_vocabulary_is_keras_documented_example():
    layer = layers.TextVectorization(output_mode="int", output_sequence_length=4,
                                     vocabulary=["earth", "wind", "and", "fire"])
    out = layer(np.array([["earth wind and fire"], ["fire and earth michigan"]]))
    assert out.tolist() == [[2, 3, 4, 5], [5, 4, 2, 1]]
    assert layer.vocabulary_size() == 6


def test_standardize_split_ngrams_and_sequence_length():
    layer = layers.TextVectorization(ngrams=2, output_mode="int")
    layer.adapt(["The cat.", "the CAT sat!"])
    assert set(layer.get_vocabulary(include_special_tokens=False)) == {"the", "cat", "sat", "the cat", "cat sat"}
    assert layer(np.array(["the cat"])).shape == (1, 3)  # the, cat, "the cat"
    chars = layers.TextVectorization(split="character", standardize=None, vocabulary=["a", "b"])
    assert chars(np.array(["abca"])).tolist() == [[2, 3, 1, 2]]
    custom = layers.TextVectorization(standardize=lambda t: t.replace("-", " "), split=lambda t: t.split(" "),
                                      vocabulary=["x", "y"])
    assert custom(np.array(["x-y-z"])).tolist() == [[2, 3, 1]]
    cut = layers.TextVectorization(vocabulary=["a"], output_sequence_length=2)
    assert cut(np.array(["a a a", ""])).tolist() == [[2, 2], [0, 0]]


def test_vector_modes():
    layer = layers.TextVectorization(output_mode="multi_hot", vocabulary=["a", "b", "c"])
    np.testing.assert_array_equal(layer(np.array(["a c c z", "b"])), [[1, 1, 0, 1], [0, 0, 1, 0]])
    count = layers.TextVectorization(output_mode="count", vocabulary=["a", "b", "c"])
    np.testing.assert_array_equal(count(np.array(["a c c z"])), [[1, 1, 0, 2]])
    tfidf = layers.TextVectorization(output_mode="tf_idf", max_tokens=4)
    tfidf.adapt(["a a b", "a c"])
    vocabulary = tfidf.get_vocabulary()
    assert vocabulary == ["[UNK]", "a", "c", "b"]
    idf = {"a": np.log(1 + 2 / 3), "b": np.log(1 + 2 / 2), "c": np.log(1 + 2 / 2)}
    out = tfidf(np.array(["a a b z"]))[0]
    mean_idf = np.mean([idf["a"], idf["c"], idf["b"]])
    np.testing.assert_allclose(out, [mean_idf, 2 * idf["a"], 0, idf["b"]], rtol=1e-6)
    padded = layers.TextVectorization(output_mode="multi_hot", vocabulary=["a"], max_tokens=5, pad_to_max_tokens=True)
    assert padded(np.array(["a"])).shape == (1, 5)


def test_max_tokens_keeps_the_most_frequent():
    layer = layers.TextVectorization(max_tokens=4)
    layer.adapt(["a a a b b c", "a b"])
    assert layer.get_vocabulary() == ["", "[UNK]", "a", "b"]


def test_config_round_trip_keeps_the_adapted_vocabulary():
    layer = layers.TextVectorization(output_mode="int", output_sequence_length=3, ngrams=(1, 2), name="tv")
    layer.adapt(CORPUS)
    config = json.loads(json.dumps(layer.get_config()))
    rebuilt = layers.TextVectorization.from_config(config)
    assert rebuilt.get_config() == layer.get_config()
    texts = np.array(["foo bar baz", "nothing known"])
    np.testing.assert_array_equal(rebuilt(texts), layer(texts))
    copy = layers.deserialize(layers.serialize(layer))
    np.testing.assert_array_equal(copy(texts), layer(texts))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"output_mode": "one_hot"}, "output_mode to be one of"),
        ({"standardize": "upper"}, "Received: standardize='upper'"),
        ({"split": "comma"}, "Received: split='comma'"),
        ({"ngrams": 0}, "Received: ngrams=0"),
        ({"output_mode": "count", "output_sequence_length": 3}, "output_sequence_length only applies"),
        ({"ragged": True}, "no ragged output"),
        ({"vocabulary": ["a", "a"]}, "repeated term"),
    ],
)
def test_errors_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.TextVectorization(**kwargs)
    with pytest.raises(ValueError, match=r"shape \(batch,\) or \(batch, 1\)"):
        layers.TextVectorization(vocabulary=["a"])(np.array([["a", "b"]]))


def test_raw_strings_fit_a_classifier_end_to_end():
    # Positive texts mention "good", negative ones "bad": learnable from multi-hot words.
    rng = np.random.default_rng(0)
    filler = ["the", "film", "was", "quite", "a", "plot", "actors", "very"]
    texts, labels = [], []
    for i in range(64):
        words = list(rng.choice(filler, 4)) + ["good" if i % 2 else "bad"]
        rng.shuffle(words)
        texts.append(" ".join(words))
        labels.append(float(i % 2))
    texts, labels = np.array(texts)[:, None], np.array(labels, np.float32)[:, None]
    lamella.utils.set_random_seed(0)
    vectorize = layers.TextVectorization(output_mode="multi_hot")
    vectorize.adapt(texts)
    inputs = lamella.Input((1,), dtype="string")
    model = lamella.Model(inputs, layers.Dense(1)(vectorize(inputs)))
    model.compile(optimizer=PlainSGD(0.2), loss=squared_error)
    history = model.fit(texts, labels, batch_size=16, epochs=40, verbose=0)
    assert history.history["loss"][-1] < 0.05
    predicted = model.predict(np.array([["a very good film"], ["the plot was bad"]]), verbose=0)
    assert predicted[0, 0] > 0.7 and predicted[1, 0] < 0.3

    def batches():
        for i in range(0, 64, 16):
            yield texts[i:i + 16], labels[i:i + 16]

    sequential = lamella.Sequential([lamella.Input((1,), dtype="string"), vectorize, layers.Dense(1)])
    sequential.compile(optimizer=PlainSGD(0.2), loss=squared_error)
    streamed = sequential.fit(batches(), epochs=1, verbose=0, steps_per_epoch=4)
    assert np.isfinite(streamed.history["loss"][0])
