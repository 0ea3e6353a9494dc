"""Seed 004's functional-API examples (the Keras 2 functional API guide) with the
layers the guide uses — Embedding, LSTM, concatenate, Conv2D, TimeDistributed — at
small sizes: the same topologies, the same calls, the same node API and errors."""

import numpy as np
import pytest

import lamella
from lamella.layers import (LSTM, Conv2D, Dense, Embedding, Flatten, Input, MaxPooling2D,
                            TimeDistributed, concatenate)
from lamella.models import Model, Sequential

VOCAB, HEADLINE_LEN = 50, 12  # the guide: 10,000 words, 100 per headline


def _headline_model():
    # The guide's headline model, word for word apart from the sizes.
    main_input = Input(shape=(HEADLINE_LEN,), dtype="int32", name="main_input")
    x = Embedding(output_dim=16, input_dim=VOCAB)(main_input)
    lstm_out = LSTM(8)(x)
    auxiliary_output = Dense(1, activation="sigmoid", name="aux_output")(lstm_out)
    auxiliary_input = Input(shape=(5,), name="aux_input")
    x = concatenate([lstm_out, auxiliary_input])
    x = Dense(16, activation="relu")(x)
    x = Dense(16, activation="relu")(x)
    x = Dense(16, activation="relu")(x)
    main_output = Dense(1, activation="sigmoid", name="main_output")(x)
    return Model(inputs=[main_input, auxiliary_input], outputs=[main_output, auxiliary_output])


def _headline_data(rng, n=64):
    headline = rng.integers(1, VOCAB, size=(n, HEADLINE_LEN)).astype(np.int32)
    additional = rng.normal(size=(n, 5)).astype(np.float32)
    # Learnable from both inputs: "word 1 appears" or the first auxiliary feature.
    labels = ((headline < 10).any(1) & (additional[:, 0] > -0.5)).astype(np.float32)[:, None]
    return headline, additional, labels


def test_headline_model_with_one_loss_and_list_loss_weights(rng):
    # The Keras 2 form Keras 3 rejects: one loss for both outputs, weights as a list.
    lamella.utils.set_random_seed(0)
    model = _headline_model()
    assert model.input_names == ["main_input", "aux_input"]
    assert model.output_names == ["main_output", "aux_output"]
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", loss_weights=[1.0, 0.2])
    headline, additional, labels = _headline_data(rng)
    history = model.fit([headline, additional], [labels, labels], epochs=6, batch_size=32, verbose=0)
    logs = history.history
    assert logs["loss"][-1] < logs["loss"][0]
    for i in range(len(logs["loss"])):
        assert logs["loss"][i] == pytest.approx(
            logs["main_output_loss"][i] + 0.2 * logs["aux_output_loss"][i], rel=1e-5)
    results = model.evaluate([headline, additional], [labels, labels], verbose=0, return_dict=True)
    assert results["loss"] == pytest.approx(
        results["main_output_loss"] + 0.2 * results["aux_output_loss"], rel=1e-5)
    # The auxiliary output sees only the LSTM: it is a function of the headline alone.
    main, aux = model.predict([headline, additional], verbose=0)
    _, aux_other = model.predict([headline, additional + 1.0], verbose=0)
    np.testing.assert_array_equal(aux, aux_other)
    assert main.shape == aux.shape == (len(headline), 1)


def test_headline_model_with_dicts_by_name(rng):
    lamella.utils.set_random_seed(0)
    model = _headline_model()
    model.compile(optimizer="rmsprop",
                  loss={"main_output": "binary_crossentropy", "aux_output": "binary_crossentropy"},
                  loss_weights={"main_output": 1.0, "aux_output": 0.2},
                  metrics={"main_output": "accuracy", "aux_output": ["accuracy", "mse"]})
    headline, additional, labels = _headline_data(rng)
    history = model.fit({"main_input": headline, "aux_input": additional},
                        {"main_output": labels, "aux_output": labels}, epochs=2, batch_size=32, verbose=0)
    # Per-output metrics are logged under the output's name, as in Keras.
    assert {"main_output_accuracy", "aux_output_accuracy", "aux_output_mse"} <= set(history.history)
    assert "main_output_mse" not in history.history
    _, aux = model.predict([headline, additional], verbose=0)
    # The last epoch's logged value is a running mean over the epoch's batches, so
    # check the metric itself on the final weights through evaluate.
    scores = model.evaluate({"main_input": headline, "aux_input": additional},
                            {"main_output": labels, "aux_output": labels}, verbose=0, return_dict=True)
    assert scores["aux_output_mse"] == pytest.approx(float(np.mean((aux - labels) ** 2)), rel=1e-4)
    assert scores["aux_output_accuracy"] == pytest.approx(float(np.mean((aux > 0.5) == labels)))
    by_list = model.predict([headline, additional], verbose=0)
    by_dict = model.predict({"aux_input": additional, "main_input": headline}, verbose=0)
    for a, b in zip(by_list, by_dict):
        np.testing.assert_array_equal(a, b)
    results = model.evaluate({"main_input": headline, "aux_input": additional},
                             {"main_output": labels, "aux_output": labels}, verbose=0, return_dict=True)
    assert results["loss"] == pytest.approx(
        results["main_output_loss"] + 0.2 * results["aux_output_loss"], rel=1e-5)


def test_shared_lstm_over_two_tweets_and_its_nodes(rng):
    # The guide: tweets as (280, 256) one-hot character matrices, LSTM(64); smaller here.
    tweet_a = Input(shape=(14, 8))
    tweet_b = Input(shape=(14, 8))
    shared_lstm = LSTM(16)
    encoded_a = shared_lstm(tweet_a)
    encoded_b = shared_lstm(tweet_b)
    merged_vector = concatenate([encoded_a, encoded_b], axis=-1)
    predictions = Dense(1, activation="sigmoid")(merged_vector)
    model = Model(inputs=[tweet_a, tweet_b], outputs=predictions)
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    a = (rng.random((64, 14, 8)) > 0.5).astype(np.float32)
    b = np.where(rng.random((64, 1, 1)) > 0.5, a, (rng.random((64, 14, 8)) > 0.5)).astype(np.float32)
    same = (a == b).all(axis=(1, 2)).astype(np.float32)[:, None]
    history = model.fit([a, b], same, epochs=2, batch_size=32, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    # One set of LSTM weights (kernel, recurrent kernel, bias) serves both tweets.
    assert len(shared_lstm.trainable_weights) == 3
    assert model.count_params() == shared_lstm.count_params() + (2 * 16 + 1)
    # Swapping the tweets swaps nothing inside the encoder: the same weights encode both.
    encoder = Model(tweet_a, encoded_a)
    np.testing.assert_allclose(
        Model(tweet_b, encoded_b).predict(b, verbose=0), encoder.predict(b, verbose=0), rtol=1e-6)

    assert shared_lstm.get_output_at(0) is encoded_a
    assert shared_lstm.get_output_at(1) is encoded_b
    assert shared_lstm.get_input_at(0) is tweet_a
    assert shared_lstm.get_input_at(1) is tweet_b
    # Both nodes have the same shapes, so the shapes stay defined, as the guide says.
    assert shared_lstm.output_shape == (None, 16)
    assert shared_lstm.input_shape == (None, 14, 8)
    assert shared_lstm.get_input_shape_at(1) == (None, 14, 8)


def _shared_layer_with_two_nodes(layer, shape):
    layer(Input(shape=shape))
    layer(Input(shape=shape))
    return layer


def test_a_shared_layer_has_no_single_output():
    dense = _shared_layer_with_two_nodes(Dense(3), (4,))
    with pytest.raises(AttributeError, match=(
            f"Layer {dense.name} has multiple inbound nodes, hence the notion of "
            '"layer output" is ill-defined. Use `get_output_at\\(node_index\\)` instead.')):
        dense.output  # noqa: B018
    with pytest.raises(AttributeError, match="get_input_at"):
        dense.input  # noqa: B018


def test_a_shared_lstm_has_no_single_output():
    # The guide's exact case: `lstm.output` after calling one LSTM on two tweets.
    lstm = _shared_layer_with_two_nodes(LSTM(4), (14, 8))
    with pytest.raises(AttributeError, match=(
            f"Layer {lstm.name} has multiple inbound nodes, hence the notion of "
            '"layer output" is ill-defined. Use `get_output_at\\(node_index\\)` instead.')):
        lstm.output  # noqa: B018


def test_a_single_node_lstm_has_a_defined_output():
    a = Input(shape=(14, 8))
    lstm = LSTM(4)
    encoded_a = lstm(a)
    assert lstm.output is encoded_a
    assert lstm.input is a
    assert lstm.output_shape == (None, 4)


def test_conv2d_called_on_two_image_sizes_needs_node_indices():
    a = Input(shape=(32, 32, 3))
    b = Input(shape=(64, 64, 3))
    conv = Conv2D(16, (3, 3), padding="same")
    conved_a = conv(a)
    # Only one input so far: the shape is defined.
    assert conv.input_shape == (None, 32, 32, 3)
    conved_b = conv(b)
    assert conv.get_input_shape_at(0) == (None, 32, 32, 3)
    assert conv.get_input_shape_at(1) == (None, 64, 64, 3)
    assert conv.get_output_shape_at(0) == (None, 32, 32, 16)
    assert conv.get_output_shape_at(1) == (None, 64, 64, 16)
    assert conv.get_output_at(0) is conved_a and conv.get_output_at(1) is conved_b
    with pytest.raises(AttributeError, match="multiple inbound nodes with different input shapes"):
        conv.input_shape  # noqa: B018
    with pytest.raises(AttributeError, match="get_output_shape_at"):
        conv.output_shape  # noqa: B018


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


def test_the_image_model_becomes_a_sequence_model_with_time_distributed(rng):
    # The guide: `TimeDistributed(model)` over Input(shape=(20, 784)) turns the
    # classifier of one vector into a classifier of every step of a sequence.
    inputs = Input(shape=(24,))
    x = Dense(8, activation="relu")(inputs)
    model = Model(inputs, Dense(3, activation="softmax")(x))
    input_sequences = Input(shape=(5, 24))
    processed_sequences = TimeDistributed(model)(input_sequences)
    assert processed_sequences.shape == (None, 5, 3)
    sequence_model = Model(input_sequences, processed_sequences)
    frames = rng.normal(size=(2, 5, 24)).astype(np.float32)
    per_step = sequence_model.predict(frames, verbose=0)
    np.testing.assert_allclose(per_step, model.predict(frames.reshape(10, 24), verbose=0).reshape(2, 5, 3),
                               rtol=1e-5, atol=1e-6)
    assert sequence_model.count_params() == model.count_params()


def test_the_vision_model_becomes_a_video_model_with_time_distributed_and_lstm(rng):
    # The guide's video question-answering encoder: a Sequential convnet on frames,
    # TimeDistributed over the clip, an LSTM over the frame encodings.
    lamella.utils.set_random_seed(0)
    vision_model = Sequential()
    vision_model.add(Conv2D(4, (3, 3), activation="relu", padding="same", input_shape=(8, 8, 3)))
    vision_model.add(MaxPooling2D((2, 2)))
    vision_model.add(Flatten())
    image_input = Input(shape=(8, 8, 3))
    encoded_image = vision_model(image_input)
    assert encoded_image.shape == (None, 4 * 4 * 4)

    video_input = Input(shape=(6, 8, 8, 3))
    encoded_frame_sequence = TimeDistributed(vision_model)(video_input)
    assert encoded_frame_sequence.shape == (None, 6, 64)
    encoded_video = LSTM(8)(encoded_frame_sequence)
    output = Dense(1, activation="sigmoid")(encoded_video)
    video_model = Model(inputs=video_input, outputs=output)
    assert video_model.count_params() == vision_model.count_params() + (
        4 * 8 * (64 + 8 + 1) + 8 + 1)

    videos = rng.random((16, 6, 8, 8, 3)).astype(np.float32)
    labels = (videos[:, :3].mean(axis=(1, 2, 3, 4)) > videos[:, 3:].mean(axis=(1, 2, 3, 4)))
    labels = labels.astype(np.float32)[:, None]
    kernel_before = np.asarray(vision_model.layers[0].kernel)
    video_model.compile(optimizer="adam", loss="binary_crossentropy")
    history = video_model.fit(videos, labels, epochs=2, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    # Training the video model trains the shared vision model's weights.
    assert not np.allclose(np.asarray(vision_model.layers[0].kernel), kernel_before)
    # Each frame is encoded by the (shared) vision model on its own.
    frame_codes = Model(video_input, encoded_frame_sequence).predict(videos[:2], verbose=0)
    np.testing.assert_allclose(frame_codes[:, 2], vision_model.predict(videos[:2, 2], verbose=0),
                               rtol=1e-5, atol=1e-6)
