"""Seed 004's functional-API examples, with Dense layers where the seed has
Embedding and LSTM (those come with the recurrent layers): the same topologies,
the same calls, the same errors."""

import jax.numpy as jnp
import numpy as np
import pytest

import lamella
from lamella.layers import Dense, Flatten, Input
from lamella.models import Model


class Concatenate(lamella.Layer):
    """Stands in for ``layers.Concatenate`` (lamella-layers' merging layers are built
    in parallel) so the seed's graphs can be written as they are."""

    def call(self, inputs):
        return jnp.concatenate(inputs, axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[0][:-1], sum(s[-1] for s in input_shape))


def _headline_model():
    main_input = Input(shape=(100,), name="main_input")
    lstm_out = Dense(32, activation="tanh", name="encoder")(main_input)
    auxiliary_output = Dense(1, activation="sigmoid", name="aux_output")(lstm_out)
    auxiliary_input = Input(shape=(5,), name="aux_input")
    x = Concatenate()([lstm_out, auxiliary_input])
    x = Dense(64, activation="relu")(x)
    x = Dense(64, activation="relu")(x)
    main_output = Dense(1, activation="sigmoid", name="main_output")(x)
    model = Model(inputs=[main_input, auxiliary_input], outputs=[main_output, auxiliary_output])
    return model


def _headline_data(rng, n=128):
    headline = rng.normal(size=(n, 100)).astype(np.float32)
    additional = rng.normal(size=(n, 5)).astype(np.float32)
    labels = (headline[:, :3].sum(1, keepdims=True) + additional[:, :1] > 0).astype(np.float32)
    return headline, additional, labels


def test_headline_model_with_one_loss_and_list_loss_weights(rng):
    # The Keras 2 form Keras 3 rejects: one loss for both outputs, weights as a list.
    lamella.utils.set_random_seed(0)
    model = _headline_model()
    assert model.input_names == ["main_input", "aux_input"]
    assert model.output_names == ["main_output", "aux_output"]
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", loss_weights=[1.0, 0.2])
    headline, additional, labels = _headline_data(rng)
    history = model.fit([headline, additional], [labels, labels], epochs=8, batch_size=32, verbose=0)
    logs = history.history
    assert logs["loss"][-1] < logs["loss"][0]
    for i in range(len(logs["loss"])):
        assert logs["loss"][i] == pytest.approx(
            logs["main_output_loss"][i] + 0.2 * logs["aux_output_loss"][i], rel=1e-5)
    results = model.evaluate([headline, additional], [labels, labels], verbose=0, return_dict=True)
    assert results["loss"] == pytest.approx(
        results["main_output_loss"] + 0.2 * results["aux_output_loss"], rel=1e-5)


def test_headline_model_with_dicts_by_name(rng):
    lamella.utils.set_random_seed(0)
    model = _headline_model()
    model.compile(optimizer="rmsprop",
                  loss={"main_output": "binary_crossentropy", "aux_output": "binary_crossentropy"},
                  loss_weights={"main_output": 1.0, "aux_output": 0.2})
    headline, additional, labels = _headline_data(rng)
    model.fit({"main_input": headline, "aux_input": additional},
              {"main_output": labels, "aux_output": labels}, epochs=2, batch_size=32, verbose=0)
    by_list = model.predict([headline, additional], verbose=0)
    by_dict = model.predict({"aux_input": additional, "main_input": headline}, verbose=0)
    for a, b in zip(by_list, by_dict):
        np.testing.assert_array_equal(a, b)
    results = model.evaluate({"main_input": headline, "aux_input": additional},
                             {"main_output": labels, "aux_output": labels}, verbose=0, return_dict=True)
    assert results["loss"] == pytest.approx(
        results["main_output_loss"] + 0.2 * results["aux_output_loss"], rel=1e-5)


def test_shared_encoder_over_two_tweets_and_its_nodes(rng):
    tweet_a = Input(shape=(28, 16))
    tweet_b = Input(shape=(28, 16))
    flatten = Flatten()
    shared_encoder = Dense(64, activation="relu")
    encoded_a = shared_encoder(flatten(tweet_a))
    encoded_b = shared_encoder(flatten(tweet_b))
    merged_vector = Concatenate()([encoded_a, encoded_b])
    predictions = Dense(1, activation="sigmoid")(merged_vector)
    model = Model(inputs=[tweet_a, tweet_b], outputs=predictions)
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    a = (rng.random((96, 28, 16)) > 0.5).astype(np.float32)
    b = np.where(rng.random((96, 1, 1)) > 0.5, a, (rng.random((96, 28, 16)) > 0.5)).astype(np.float32)
    same = (a == b).all(axis=(1, 2)).astype(np.float32)[:, None]
    model.fit([a, b], same, epochs=2, batch_size=32, verbose=0)
    assert len(shared_encoder.trainable_weights) == 2  # one set of weights, two calls

    assert shared_encoder.get_output_at(0) is encoded_a
    assert shared_encoder.get_output_at(1) is encoded_b
    with pytest.raises(AttributeError, match=(
            f"Layer {shared_encoder.name} has multiple inbound nodes, hence the notion of "
            '"layer output" is ill-defined. Use `get_output_at\\(node_index\\)` instead.')):
        shared_encoder.output  # noqa: B018
    assert shared_encoder.output_shape == (None, 64)  # the same at both nodes
    assert shared_encoder.get_input_shape_at(1) == (None, 448)


def test_input_and_output_shape_of_a_layer_called_on_two_shapes():
    a = Input(shape=(32, 32, 3))
    b = Input(shape=(64, 64, 3))
    flatten = Flatten()
    flatten(a)
    flatten(b)
    assert flatten.get_input_shape_at(0) == (None, 32, 32, 3)
    assert flatten.get_input_shape_at(1) == (None, 64, 64, 3)
    assert flatten.get_output_shape_at(1) == (None, 64 * 64 * 3)
    with pytest.raises(AttributeError, match="multiple inbound nodes with different input shapes"):
        flatten.input_shape  # noqa: B018
    single = Dense(2)
    single(a)
    assert single.input_shape == (None, 32, 32, 3) and single.output is single.get_output_at(0)


def test_a_trained_model_is_reused_on_new_inputs_with_its_weights(rng):
    inputs = Input(shape=(784,))
    x = Dense(64, activation="relu")(inputs)
    predictions = Dense(10, activation="softmax")(x)
    model = Model(inputs=inputs, outputs=predictions)
    x_new = Input(shape=(784,))
    y = model(x_new)
    reused = Model(x_new, y)
    data = rng.normal(size=(3, 784)).astype(np.float32)
    np.testing.assert_allclose(reused.predict(data, verbose=0), model.predict(data, verbose=0), rtol=1e-6)
    assert reused.count_params() == model.count_params()
    assert [id(w) for w in reused.weights] == [id(w) for w in model.weights]
