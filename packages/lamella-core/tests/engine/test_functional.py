"""Functional models: graphs of layer calls, shared layers and nodes, configs."""

import numpy as np
import pytest

import lamella
from lamella.engine.functional import Functional


def test_two_inputs_two_outputs(linear):
    a = lamella.Input((3,), name="a")
    b = lamella.Input((2,), name="b")
    ha = linear(4)(a)
    hb = linear(4)(b)
    out1 = linear(1, name="out1")(ha)
    out2 = linear(2, name="out2")(hb)
    model = lamella.Model(inputs=[a, b], outputs=[out1, out2])
    assert isinstance(model, Functional)
    assert model.input_names == ["a", "b"] and model.output_names == ["out1", "out2"]
    y1, y2 = model([np.ones((5, 3)), np.ones((5, 2))])
    assert y1.shape == (5, 1) and y2.shape == (5, 2)
    by_name = model({"b": np.ones((5, 2)), "a": np.ones((5, 3))})
    np.testing.assert_allclose(by_name[0], y1)


def test_shared_layer_has_several_nodes(linear):
    shared = linear(4, name="shared")
    x1 = lamella.Input((3,))
    x2 = lamella.Input((3,))
    y1 = shared(x1)
    y2 = shared(x2)
    assert shared.get_output_at(0) is y1 and shared.get_output_at(1) is y2
    assert shared.get_input_at(1) is x2
    with pytest.raises(AttributeError, match="multiple inbound nodes.*get_output_at"):
        shared.output  # noqa: B018
    assert shared.output_shape == (None, 4)  # same shape at every node: well defined


def test_model_called_on_new_inputs_shares_weights(linear):
    x = lamella.Input((3,))
    inner = lamella.Model(x, linear(2)(x))
    z = lamella.Input((3,))
    outer = lamella.Model(z, inner(z))
    data = np.ones((1, 3), np.float32)
    np.testing.assert_allclose(outer(data), inner(data))
    assert outer.weights == inner.weights


def test_disconnected_graph_is_reported(linear):
    a = lamella.Input((3,), name="a")
    b = lamella.Input((3,), name="b")
    with pytest.raises(ValueError, match="Graph disconnected.*'b'"):
        lamella.Model(inputs=a, outputs=linear(1)(b))


def test_config_round_trip_keeps_shared_nodes(linear):
    from lamella.saving import object_registration

    object_registration.register_serializable(package="tests")(linear)
    shared = linear(4, name="shared")
    x1 = lamella.Input((3,), name="x1")
    x2 = lamella.Input((3,), name="x2")
    first = shared(x1)
    out = linear(1, name="head")(shared(x2))
    model = lamella.Model([x1, x2], [out, first])
    clone = Functional.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    data = [np.ones((2, 3), np.float32), np.full((2, 3), 2.0, np.float32)]
    for got, want in zip(clone(data), model(data)):
        np.testing.assert_allclose(got, want)
    assert len(clone.get_layer("shared").inbound_nodes) == 2


class _PerStep(lamella.Layer):
    """What TimeDistributed does with a model: fold time into the batch, call it,
    unfold (the real wrapper comes with lamella-layers)."""

    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, inputs):
        batch, steps = inputs.shape[:2]
        folded = inputs.reshape((batch * steps, *inputs.shape[2:]))
        out = self.inner(folded)
        return out.reshape((batch, steps, *out.shape[1:]))

    def compute_output_shape(self, input_shape):
        inner = self.inner.compute_output_spec(lamella.SymbolicTensor((None, *input_shape[2:])))
        return (input_shape[0], input_shape[1], *inner.shape[1:])


def test_a_model_inside_a_wrapper_layer_is_trained_as_part_of_the_outer_model(linear, plain_sgd, squared_error_loss):
    frame = lamella.Input((4,))
    image_model = lamella.Model(frame, linear(2, name="per_frame")(frame))
    video = lamella.Input((5, 4))
    outputs = _PerStep(image_model)(video)
    model = lamella.Model(video, outputs)
    assert model.output_shape == (None, 5, 2)
    assert [id(w) for w in model.trainable_weights] == [id(w) for w in image_model.trainable_weights]
    data = np.random.default_rng(0).normal(size=(6, 5, 4)).astype(np.float32)
    kernel, bias = image_model.get_weights()
    np.testing.assert_allclose(model.predict(data, verbose=0), data @ kernel + bias, rtol=1e-5, atol=1e-6)
    model.compile(optimizer=plain_sgd(0.1), loss=squared_error_loss)
    model.fit(data, np.zeros((6, 5, 2), np.float32), epochs=1, verbose=0)
    assert not np.array_equal(image_model.get_weights()[0], kernel)


def test_dict_inputs_and_outputs_keep_their_names(linear):
    a = lamella.Input((3,), name="a")
    b = lamella.Input((2,), name="b")
    model = lamella.Model({"a": a, "b": b},
                          {"first": linear(1)(a), "second": linear(2)(b)})
    assert model.input_names == ["a", "b"] and model.output_names == ["first", "second"]
    out = model({"b": np.ones((2, 2)), "a": np.ones((2, 3))})
    assert sorted(out) == ["first", "second"] and out["second"].shape == (2, 2)
    with pytest.raises(ValueError, match=r"missing inputs \['b'\]"):
        model({"a": np.ones((2, 3))})


def test_get_layer_by_name_and_index_and_its_errors(linear):
    x = lamella.Input((3,), name="x")
    model = lamella.Model(x, linear(2, name="head")(linear(4, name="body")(x)))
    assert model.get_layer("body") is model.get_layer(index=1)
    assert model.get_layer(index=-1).name == "head"
    with pytest.raises(ValueError, match=r"No such layer: neck. Existing layers are: \['x', 'body', 'head'\]"):
        model.get_layer("neck")
    with pytest.raises(ValueError, match="index 3 but model .* only has 3 layers"):
        model.get_layer(index=3)
    with pytest.raises(ValueError, match="either a layer name or a layer index, not both"):
        model.get_layer("head", 2)


def test_input_and_output_are_the_constructor_structures_as_in_keras():
    from lamella.testing import Linear

    a = lamella.Input(shape=(3,), name="a")
    b = lamella.Input(shape=(3,), name="b")
    first = Linear(2, name="first")(a)
    second = Linear(2, name="second")(b)
    model = lamella.Model({"a": a, "b": b}, [first, second])
    assert model.input == {"a": a, "b": b}
    assert model.output == [first, second]
    single = lamella.Model(a, first)
    assert single.output is first and single.input is a
    # Called as a layer on new inputs, it keeps answering with its own graph's ends.
    single(lamella.Input(shape=(3,)))
    assert single.output is first
    head = Linear(1)(single.output)
    assert lamella.Model(single.input, head).output_shape == (None, 1)
