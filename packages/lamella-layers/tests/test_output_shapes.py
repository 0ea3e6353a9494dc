"""Property tests over random configurations: ``compute_output_shape`` equals the
shape the layer actually produces, for concrete batches and for a symbolic
``Input`` with an unknown batch size.

The families: convolutions of every rank (plain, transposed, separable, depthwise),
pooling, reshaping, locally connected and recurrent layers. Each strategy draws
the layer's name, its arguments and an input shape large enough for them.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import lamella
from lamella import layers

FORMATS = st.sampled_from(["channels_last", "channels_first"])


def _input_shape(batch, spatial, channels, data_format):
    if data_format == "channels_last":
        return (batch, *spatial, channels)
    return (batch, channels, *spatial)


def _assert_shapes_agree(name, kwargs, shape):
    layer = getattr(layers, name)(**kwargs)
    out = layer(np.random.default_rng(0).normal(size=shape).astype(np.float32))
    produced = [tuple(o.shape) for o in out] if isinstance(out, list | tuple) else tuple(out.shape)
    computed = layer.compute_output_shape(shape)
    computed = [tuple(s) for s in computed] if isinstance(computed, list) else tuple(computed)
    assert computed == produced, (name, kwargs, shape)
    # The functional API relies on the same rule with an unknown batch size.
    symbolic = getattr(layers, name)(**kwargs)(lamella.Input(batch_shape=(None, *shape[1:])))
    symbolic = [tuple(s.shape) for s in symbolic] if isinstance(symbolic, list | tuple) else tuple(symbolic.shape)

    def unbatched(s):
        return (None, *s[1:])

    expected = [unbatched(s) for s in produced] if isinstance(produced, list) else unbatched(produced)
    assert symbolic == expected, (name, kwargs, shape)


@st.composite
def windows(draw, rank, causal=False, transpose=False, dilation=True):
    """``(kernel, strides, dilation, padding, sizes)`` for ``rank`` spatial axes, the
    sizes large enough for a ``valid`` window."""
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(rank))
    strides = tuple(draw(st.integers(1, 3)) for _ in range(rank))
    dilations = tuple(draw(st.integers(1, 2)) if dilation else 1 for _ in range(rank))
    paddings = ["valid", "same"] + (["causal"] if causal else [])
    padding = draw(st.sampled_from(paddings))
    low = 1 if transpose else 0
    sizes = tuple(
        draw(st.integers(max(low, (k - 1) * d + 1), (k - 1) * d + 5)) for k, d in zip(kernel, dilations)
    )
    return kernel, strides, dilations, padding, sizes


@st.composite
def convolutions(draw):
    rank = draw(st.integers(1, 3))
    kind = draw(st.sampled_from(["", "Transpose"] + (["Separable", "Depthwise"] if rank < 3 else [])))
    data_format = draw(FORMATS)
    kernel, strides, dilations, padding, sizes = draw(windows(rank, causal=rank == 1 and kind == "",
                                                              transpose=kind == "Transpose"))
    kwargs = dict(kernel_size=kernel, strides=strides, padding=padding, data_format=data_format)
    if kind == "Transpose":
        # jax computes strided dilated transposes; Keras refuses them, so keep one of the two.
        if any(s > 1 for s in strides):
            dilations = (1,) * rank
        if draw(st.booleans()):
            # The layer requires each output_padding below its stride, whatever the dilation.
            kwargs["output_padding"] = tuple(draw(st.integers(0, s - 1)) for s in strides)
        name = f"Conv{rank}DTranspose"
    elif kind == "Separable":
        kwargs["depth_multiplier"] = draw(st.integers(1, 2))
        name = f"SeparableConv{rank}D"
    elif kind == "Depthwise":
        kwargs["depth_multiplier"] = draw(st.integers(1, 2))
        name = f"DepthwiseConv{rank}D"
    else:
        name = f"Conv{rank}D"
    kwargs["dilation_rate"] = dilations
    if kind != "Depthwise":
        kwargs["filters"] = draw(st.integers(1, 3))
    channels = draw(st.integers(1, 3))
    return name, kwargs, _input_shape(2, sizes, channels, data_format)


@st.composite
def poolings(draw):
    rank = draw(st.integers(1, 3))
    data_format = draw(FORMATS)
    if draw(st.booleans()):
        name = f"Global{draw(st.sampled_from(['Max', 'Average']))}Pooling{rank}D"
        sizes = tuple(draw(st.integers(1, 5)) for _ in range(rank))
        kwargs = dict(data_format=data_format, keepdims=draw(st.booleans()))
    else:
        name = f"{draw(st.sampled_from(['Max', 'Average']))}Pooling{rank}D"
        pool, strides, _, padding, sizes = draw(windows(rank, dilation=False))
        kwargs = dict(pool_size=pool, strides=draw(st.sampled_from([None, strides])), padding=padding,
                      data_format=data_format)
    return name, kwargs, _input_shape(2, sizes, 2, data_format)


@st.composite
def reshapings(draw):
    name = draw(st.sampled_from([
        "Cropping", "ZeroPadding", "UpSampling", "Flatten", "Permute", "Reshape", "RepeatVector",
    ]))
    if name == "RepeatVector":
        return name, dict(n=draw(st.integers(1, 4))), (2, draw(st.integers(1, 4)))
    if name in ("Flatten", "Permute", "Reshape"):
        sizes = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
        if name == "Flatten":
            return name, dict(data_format=draw(FORMATS)), (2, *sizes)
        if name == "Permute":
            return name, dict(dims=tuple(draw(st.permutations(range(1, len(sizes) + 1))))), (2, *sizes)
        total = int(np.prod(sizes))
        first = draw(st.sampled_from([d for d in range(1, total + 1) if total % d == 0]))
        target = draw(st.sampled_from([(first, total // first), (first, -1), (-1,), (total,)]))
        return name, dict(target_shape=target), (2, *sizes)
    rank = draw(st.integers(1, 3))
    data_format = draw(FORMATS)
    sizes = [draw(st.integers(1, 5)) for _ in range(rank)]
    if name == "Cropping":
        crops = []
        for i, size in enumerate(sizes):
            left = draw(st.integers(0, 2))
            right = draw(st.integers(0, 2))
            sizes[i] = size + left + right  # keep at least one element
            crops.append((left, right))
        kwargs = dict(cropping=crops[0] if rank == 1 else tuple(crops))
    elif name == "ZeroPadding":
        pads = tuple((draw(st.integers(0, 2)), draw(st.integers(0, 2))) for _ in range(rank))
        kwargs = dict(padding=pads[0] if rank == 1 else pads)
    else:
        factors = tuple(draw(st.integers(1, 3)) for _ in range(rank))
        kwargs = dict(size=factors[0] if rank == 1 else factors)
        if rank == 2:
            kwargs["interpolation"] = draw(st.sampled_from(["nearest", "bilinear"]))
    if rank == 1:
        # The 1D forms are channels_last only, as in Keras.
        return f"{name}1D", kwargs, (2, *sizes, 2)
    kwargs["data_format"] = data_format
    return f"{name}{rank}D", kwargs, _input_shape(2, sizes, 2, data_format)


@st.composite
def locally_connected(draw):
    rank = draw(st.integers(1, 2))
    data_format = draw(FORMATS)
    kernel, strides, _, padding, sizes = draw(windows(rank, dilation=False))
    kwargs = dict(filters=draw(st.integers(1, 3)), kernel_size=kernel, strides=strides, padding=padding,
                  data_format=data_format, implementation=draw(st.integers(1, 3)))
    return f"LocallyConnected{rank}D", kwargs, _input_shape(2, sizes, 2, data_format)


@st.composite
def recurrents(draw):
    name = draw(st.sampled_from(["SimpleRNN", "LSTM", "GRU", "ConvLSTM1D", "ConvLSTM2D", "Bidirectional"]))
    flags = dict(return_sequences=draw(st.booleans()), return_state=draw(st.booleans()),
                 go_backwards=draw(st.booleans()))
    steps = draw(st.integers(1, 4))
    if name.startswith("ConvLSTM"):
        rank = int(name[-2])
        data_format = draw(FORMATS)
        kernel, strides, _, padding, sizes = draw(windows(rank, dilation=False))
        kwargs = dict(filters=2, kernel_size=kernel, strides=strides, padding=padding,
                      data_format=data_format, **flags)
        return name, kwargs, (2, steps, *_input_shape(2, sizes, 2, data_format)[1:])
    units = draw(st.integers(1, 4))
    if name == "Bidirectional":
        merge_mode = draw(st.sampled_from(["concat", "sum", "mul", "ave", None]))
        inner = draw(st.sampled_from([layers.LSTM, layers.GRU, layers.SimpleRNN]))
        return name, dict(layer=inner(units, **flags), merge_mode=merge_mode), (2, steps, 3)
    return name, dict(units=units, **flags), (2, steps, 3)


@settings(max_examples=40, deadline=None)
@given(convolutions())
def test_convolution_output_shapes_are_computed(case):
    _assert_shapes_agree(*case)


@settings(max_examples=30, deadline=None)
@given(poolings())
def test_pooling_output_shapes_are_computed(case):
    _assert_shapes_agree(*case)


@settings(max_examples=30, deadline=None)
@given(reshapings())
def test_reshaping_output_shapes_are_computed(case):
    _assert_shapes_agree(*case)


@settings(max_examples=20, deadline=None)
@given(locally_connected())
def test_locally_connected_output_shapes_are_computed(case):
    _assert_shapes_agree(*case)


@settings(max_examples=25, deadline=None)
@given(recurrents())
def test_recurrent_output_shapes_are_computed(case):
    name, kwargs, shape = case
    if name == "Bidirectional":
        # The wrapped layer object is used once: each call below builds its own copy.
        inner = kwargs["layer"]
        kwargs = dict(kwargs, layer=type(inner).from_config(inner.get_config()))
        layer = layers.Bidirectional(**kwargs)
        out = layer(np.ones(shape, np.float32))
        produced = [tuple(o.shape) for o in out] if isinstance(out, list | tuple) else tuple(out.shape)
        computed = layer.compute_output_shape(shape)
        computed = [tuple(s) for s in computed] if isinstance(computed, list) else tuple(computed)
        assert computed == produced, (kwargs, shape)
        return
    _assert_shapes_agree(name, kwargs, shape)
