"""Every layer of the catalogue survives ``serialize`` -> JSON -> ``deserialize``: the
copy has the same config and, given the same weights, computes the same outputs.

One sample per layer, with non-default arguments so that a forgotten key in
``get_config`` changes the copy's outputs or config. A layer added to
``lamella.layers.LAYERS`` without a sample here fails
``test_every_layer_has_a_round_trip_sample``.
"""

import json

import numpy as np
import pytest

import lamella
from lamella import layers


def _floats(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


def _tokens(*shape):
    return np.random.default_rng(0).integers(0, 9, size=shape).astype(np.int32)


def _pair(*shape):
    return [_floats(*shape), _floats(*shape, seed=1)]


def _lstm(units=3, **kwargs):
    return {"class_name": "LSTM", "config": dict(units=units, **kwargs)}


# name -> (constructor arguments, a function of no arguments giving the inputs,
#          keyword arguments of the call)
SAMPLES = {
    "Activation": (dict(activation="softplus"), lambda: _floats(2, 5), {}),
    "ELU": (dict(alpha=0.5), lambda: _floats(2, 5), {}),
    "LeakyReLU": (dict(negative_slope=0.2), lambda: _floats(2, 5), {}),
    "PReLU": (dict(alpha_initializer="random_normal", shared_axes=[1]), lambda: _floats(2, 3, 4), {}),
    "ReLU": (dict(max_value=1.0, negative_slope=0.1, threshold=0.2), lambda: _floats(2, 5), {}),
    "Softmax": (dict(axis=1), lambda: _floats(2, 3, 4), {}),
    "ThresholdedReLU": (dict(theta=0.5), lambda: _floats(2, 5), {}),
    "AdditiveAttention": (dict(use_scale=True), lambda: [_floats(2, 3, 4), _floats(2, 5, 4, seed=1)], {}),
    "Attention": (dict(use_scale=True, score_mode="concat"),
                  lambda: [_floats(2, 3, 4), _floats(2, 5, 4, seed=1)], {}),
    "MultiHeadAttention": (dict(num_heads=2, key_dim=3, value_dim=2, output_shape=5),
                           lambda: _floats(2, 3, 4), {"value": _floats(2, 5, 4, seed=1)}),
    "Conv1D": (dict(filters=4, kernel_size=3, padding="causal", dilation_rate=2, activation="tanh"),
               lambda: _floats(2, 9, 2), {}),
    "Conv1DTranspose": (dict(filters=3, kernel_size=3, strides=2, output_padding=1),
                        lambda: _floats(2, 5, 2), {}),
    "Conv2D": (dict(filters=4, kernel_size=(3, 2), strides=(2, 1), groups=2,
                    data_format="channels_first"), lambda: _floats(2, 4, 7, 6), {}),
    "Conv2DTranspose": (dict(filters=3, kernel_size=3, strides=2, padding="same",
                             data_format="channels_first"), lambda: _floats(2, 2, 4, 5), {}),
    "Conv3D": (dict(filters=2, kernel_size=2, strides=(1, 2, 1), padding="same"),
               lambda: _floats(1, 4, 5, 4, 2), {}),
    "Conv3DTranspose": (dict(filters=2, kernel_size=2, strides=2, use_bias=False),
                        lambda: _floats(1, 3, 2, 3, 2), {}),
    "DepthwiseConv1D": (dict(kernel_size=3, depth_multiplier=2, padding="same"),
                        lambda: _floats(2, 7, 3), {}),
    "DepthwiseConv2D": (dict(kernel_size=(2, 3), depth_multiplier=2, data_format="channels_first"),
                        lambda: _floats(2, 3, 5, 6), {}),
    "SeparableConv1D": (dict(filters=4, kernel_size=3, depth_multiplier=2, strides=2),
                        lambda: _floats(2, 9, 3), {}),
    "SeparableConv2D": (dict(filters=4, kernel_size=2, dilation_rate=2, activation="relu"),
                        lambda: _floats(2, 6, 6, 3), {}),
    "Dense": (dict(units=3, activation="sigmoid", use_bias=False), lambda: _floats(2, 4), {}),
    "Embedding": (dict(input_dim=10, output_dim=3, mask_zero=True), lambda: _tokens(2, 5), {}),
    "Lambda": (dict(function="relu", output_shape=(4,)), lambda: _floats(2, 4), {}),
    "Masking": (dict(mask_value=0.5), lambda: np.where(_floats(2, 3, 2) > 0, 0.5, 1.0).astype(np.float32), {}),
    "LocallyConnected1D": (dict(filters=3, kernel_size=2, strides=2, implementation=1),
                           lambda: _floats(2, 7, 2), {}),
    "LocallyConnected2D": (dict(filters=2, kernel_size=(2, 3), data_format="channels_first"),
                           lambda: _floats(2, 3, 5, 6), {}),
    "Add": ({}, lambda: _pair(2, 4), {}),
    "Average": ({}, lambda: _pair(2, 4), {}),
    "Concatenate": (dict(axis=1), lambda: [_floats(2, 3, 4), _floats(2, 2, 4, seed=1)], {}),
    "Dot": (dict(axes=(1, 1), normalize=True), lambda: _pair(2, 4, 3), {}),
    "Maximum": ({}, lambda: _pair(2, 4), {}),
    "Minimum": ({}, lambda: _pair(2, 4), {}),
    "Multiply": ({}, lambda: _pair(2, 4), {}),
    "Subtract": ({}, lambda: _pair(2, 4), {}),
    "BatchNormalization": (dict(axis=1, momentum=0.9, epsilon=0.01, center=False),
                           lambda: _floats(4, 3, 2), {}),
    "GroupNormalization": (dict(groups=2, epsilon=0.01), lambda: _floats(2, 3, 4), {}),
    "LayerNormalization": (dict(axis=[1, 2], scale=False), lambda: _floats(2, 3, 4), {}),
    "UnitNormalization": (dict(axis=1), lambda: _floats(2, 3, 4), {}),
    "AveragePooling1D": (dict(pool_size=3, strides=1, padding="same"), lambda: _floats(2, 6, 2), {}),
    "AveragePooling2D": (dict(pool_size=2, padding="same", data_format="channels_first"),
                         lambda: _floats(2, 2, 5, 5), {}),
    "AveragePooling3D": (dict(pool_size=(2, 1, 2)), lambda: _floats(1, 4, 3, 4, 2), {}),
    "GlobalAveragePooling1D": (dict(keepdims=True), lambda: _floats(2, 5, 3), {}),
    "GlobalAveragePooling2D": (dict(data_format="channels_first"), lambda: _floats(2, 3, 4, 4), {}),
    "GlobalAveragePooling3D": (dict(keepdims=True), lambda: _floats(1, 2, 3, 2, 3), {}),
    "GlobalMaxPooling1D": (dict(data_format="channels_first"), lambda: _floats(2, 5, 3), {}),
    "GlobalMaxPooling2D": (dict(keepdims=True), lambda: _floats(2, 4, 4, 3), {}),
    "GlobalMaxPooling3D": ({}, lambda: _floats(1, 2, 3, 2, 3), {}),
    "MaxPooling1D": (dict(pool_size=2, strides=1), lambda: _floats(2, 6, 2), {}),
    "MaxPooling2D": (dict(pool_size=(2, 3), strides=2, padding="same"), lambda: _floats(2, 5, 7, 2), {}),
    "MaxPooling3D": (dict(pool_size=2, data_format="channels_first"), lambda: _floats(1, 2, 4, 4, 4), {}),
    "ActivityRegularization": (dict(l1=0.1, l2=0.2), lambda: _floats(2, 4), {}),
    # The noise layers are the identity outside training: the round trip checks
    # their config, and training=True in their own tests checks the noise.
    "AlphaDropout": (dict(rate=0.3, seed=1), lambda: _floats(2, 4), {}),
    "Dropout": (dict(rate=0.3, noise_shape=(None, 1), seed=1), lambda: _floats(2, 4), {}),
    "GaussianDropout": (dict(rate=0.3, seed=1), lambda: _floats(2, 4), {}),
    "GaussianNoise": (dict(stddev=0.3, seed=1), lambda: _floats(2, 4), {}),
    "SpatialDropout1D": (dict(rate=0.3, seed=1), lambda: _floats(2, 4, 3), {}),
    "SpatialDropout2D": (dict(rate=0.3, data_format="channels_first"), lambda: _floats(2, 3, 4, 4), {}),
    "SpatialDropout3D": (dict(rate=0.3), lambda: _floats(1, 2, 2, 2, 3), {}),
    "Cropping1D": (dict(cropping=(1, 2)), lambda: _floats(2, 6, 2), {}),
    "Cropping2D": (dict(cropping=((1, 0), (0, 2)), data_format="channels_first"),
                   lambda: _floats(2, 2, 5, 5), {}),
    "Cropping3D": (dict(cropping=(1, 0, 1)), lambda: _floats(1, 4, 3, 4, 2), {}),
    "Flatten": (dict(data_format="channels_first"), lambda: _floats(2, 3, 2, 2), {}),
    "Permute": (dict(dims=(2, 1)), lambda: _floats(2, 3, 4), {}),
    "RepeatVector": (dict(n=3), lambda: _floats(2, 4), {}),
    "Reshape": (dict(target_shape=(-1, 2)), lambda: _floats(2, 3, 4), {}),
    "UpSampling1D": (dict(size=3), lambda: _floats(2, 3, 2), {}),
    "UpSampling2D": (dict(size=(2, 3), interpolation="bilinear"), lambda: _floats(2, 3, 3, 2), {}),
    "UpSampling3D": (dict(size=(1, 2, 2), data_format="channels_first"),
                     lambda: _floats(1, 2, 2, 3, 2), {}),
    "ZeroPadding1D": (dict(padding=(2, 1)), lambda: _floats(2, 3, 2), {}),
    "ZeroPadding2D": (dict(padding=((1, 0), (2, 1)), data_format="channels_first"),
                      lambda: _floats(2, 2, 3, 3), {}),
    "ZeroPadding3D": (dict(padding=1), lambda: _floats(1, 2, 2, 2, 2), {}),
    "ConvLSTM1D": (dict(filters=2, kernel_size=2, padding="same", return_sequences=True),
                   lambda: _floats(2, 3, 5, 2), {}),
    "ConvLSTM2D": (dict(filters=2, kernel_size=2, data_format="channels_first"),
                   lambda: _floats(2, 3, 2, 4, 4), {}),
    "ConvLSTM3D": (dict(filters=2, kernel_size=2, go_backwards=True), lambda: _floats(1, 2, 3, 3, 3, 1), {}),
    "GRU": (dict(units=3, reset_after=False, return_sequences=True, go_backwards=True),
            lambda: _floats(2, 5, 4), {}),
    "LSTM": (dict(units=3, unit_forget_bias=False, activation="relu", return_state=True),
             lambda: _floats(2, 5, 4), {}),
    "RNN": (dict(cell={"class_name": "GRUCell", "config": {"units": 3}}, return_sequences=True),
            lambda: _floats(2, 5, 4), {}),
    "SimpleRNN": (dict(units=3, activation="relu", unroll=True), lambda: _floats(2, 5, 4), {}),
    "Bidirectional": (dict(layer=_lstm(return_sequences=True), merge_mode="ave"),
                      lambda: _floats(2, 5, 4), {}),
    "TimeDistributed": (dict(layer={"class_name": "Dense", "config": {"units": 3}}),
                        lambda: _floats(2, 5, 4), {}),
}

# Cells are called one step at a time with (inputs, states).
CELLS = {
    "ConvLSTMCell": (dict(rank=1, filters=2, kernel_size=2, padding="same"), (2, 5, 3), [(2, 5, 2)] * 2),
    "GRUCell": (dict(units=3, reset_after=False), (2, 4), [(2, 3)]),
    "LSTMCell": (dict(units=3, recurrent_activation="hard_sigmoid"), (2, 4), [(2, 3)] * 2),
    "SimpleRNNCell": (dict(units=3, activation="relu"), (2, 4), [(2, 3)]),
    "StackedRNNCells": (dict(cells=[{"class_name": "LSTMCell", "config": {"units": 3}},
                                    {"class_name": "GRUCell", "config": {"units": 2}}]),
                        (2, 4), [[(2, 3), (2, 3)], [(2, 2)]]),
}

ROUND_TRIPPED = [cls for cls in layers.LAYERS if cls not in layers.PREPROCESSING_LAYERS]


def _json_copy(layer):
    """``layer`` rebuilt from its serialized form after a JSON round trip."""
    serialized = json.loads(json.dumps(layers.serialize(layer)))
    return layers.deserialize(serialized)


def _build(cls, kwargs):
    # Nested layer configs (wrappers, RNN cells) are given as configs, so that the
    # sample table stays plain data; from_config resolves them like a saved file does.
    return cls.from_config(dict(kwargs))


def _states(shapes, seed=1):
    """Random states of the given (possibly nested, for stacked cells) shapes."""
    return [_floats(*s, seed=seed + i) if isinstance(s, tuple) else _states(s, seed + 10 * i)
            for i, s in enumerate(shapes)]


def _leaves(states):
    if isinstance(states, list | tuple):
        return [leaf for s in states for leaf in _leaves(s)]
    return [np.asarray(states)]


def _as_arrays(outputs):
    return [np.asarray(o) for o in (outputs if isinstance(outputs, list | tuple) else [outputs])]


def test_every_layer_has_a_round_trip_sample():
    missing = [cls.__name__ for cls in ROUND_TRIPPED if cls.__name__ not in {**SAMPLES, **CELLS}]
    assert not missing


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_layer_rebuilt_from_its_config_computes_the_same_outputs(name):
    kwargs, make_inputs, call_kwargs = SAMPLES[name]
    original = _build(getattr(layers, name), kwargs)
    inputs = make_inputs()
    expected = _as_arrays(original(inputs, **call_kwargs))
    copy = _json_copy(original)
    assert type(copy) is type(original)
    assert copy.get_config() == original.get_config()
    copy(inputs, **call_kwargs)  # builds the copy's weights, as loading a model does
    assert len(copy.weights) == len(original.weights)
    copy.set_weights(original.get_weights())
    outputs = _as_arrays(copy(inputs, **call_kwargs))
    assert len(outputs) == len(expected)
    for got, want in zip(outputs, expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", sorted(CELLS))
def test_cell_rebuilt_from_its_config_computes_the_same_step(name):
    kwargs, input_shape, state_shapes = CELLS[name]
    original = _build(getattr(layers, name), kwargs)
    x = _floats(*input_shape)
    states = _states(state_shapes)
    expected_output, expected_states = original(x, states)
    copy = _json_copy(original)
    assert type(copy) is type(original)
    assert copy.get_config() == original.get_config()
    copy(x, states)  # builds the copy's weights
    copy.set_weights(original.get_weights())
    output, new_states = copy(x, states)
    np.testing.assert_allclose(output, expected_output, rtol=1e-6, atol=1e-6)
    for got, want in zip(_leaves(new_states), _leaves(expected_states), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)
