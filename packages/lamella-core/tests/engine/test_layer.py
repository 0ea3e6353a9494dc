"""The Layer base: weights, building, calling, training flag, losses, configs."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import lamella
from lamella.engine.layer import Layer
from lamella.engine.symbolic_tensor import SymbolicTensor


class Scale(Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor


class Counter(Layer):
    """A layer with non-trainable state updated during training."""

    def build(self, input_shape):
        self.count = self.add_weight(shape=(), initializer="zeros", trainable=False, name="count")

    def call(self, inputs, training=None):
        if training:
            self.count.assign(self.count.value + 1)
        return inputs


def test_names_are_unique_and_reset_by_clear_session(linear):
    assert [linear(1).name for _ in range(3)] == ["linear", "linear_1", "linear_2"]
    lamella.backend.clear_session()
    assert linear(1).name == "linear"


def test_build_on_first_call_creates_weights(linear):
    layer = linear(3)
    assert not layer.built and layer.weights == []
    out = layer(np.ones((2, 5), np.float32))
    assert out.shape == (2, 3)
    assert [w.path for w in layer.weights] == ["linear/kernel", "linear/bias"]
    assert layer.count_params() == 5 * 3 + 3


def test_trainable_flag_moves_weights(linear):
    layer = linear(2)
    layer(np.ones((1, 2)))
    layer.trainable = False
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 2


def test_nested_layers_are_tracked_in_order(linear):
    class Block(Layer):
        def __init__(self):
            super().__init__()
            self.parts = [linear(4), linear(2)]

        def call(self, x):
            for part in self.parts:
                x = part(x)
            return x

    block = Block()
    block(np.ones((1, 3)))
    assert [w.path for w in block.weights] == [
        "linear/kernel", "linear/bias", "linear_1/kernel", "linear_1/bias",
    ]


def test_layers_variables_and_seeds_are_found_in_any_container(linear):
    # The walk decides what an attribute holds by its type: subclasses of list,
    # tuple and dict are searched like the builtins, nested containers too, and
    # attributes the layer leaves untracked are not.
    import collections

    class Parts(list):
        pass

    class Block(Layer):
        def __init__(self):
            super().__init__()
            self.steps = Parts([linear(2)])
            self.by_name = collections.OrderedDict(first=(linear(2), {"inner": [linear(2)]}))
            self.scale = lamella.Variable(np.ones(2, np.float32), name="scale")
            self.seeds = (lamella.random.SeedGenerator(1),)
            self._inbound_nodes = [linear(2)]

        def call(self, x):
            return x

    block = Block()
    children = block._direct_children()
    assert [type(c).__name__ for c in children] == [
        "Linear", "Linear", "Linear", "Variable", "SeedGenerator",
    ]
    assert [layer.name for layer in block.layers] == ["linear", "linear_1", "linear_2"]
    assert block.seeds[0].state in block.variables and block.scale in block.variables


def test_set_weights_checks_count_and_shapes(linear):
    layer = linear(2)
    layer(np.ones((1, 3)))
    with pytest.raises(ValueError, match="has 2 weights"):
        layer.set_weights([np.zeros((3, 2))])
    with pytest.raises(ValueError, match=r"shape \(3, 2\).*\(2, 2\)"):
        layer.set_weights([np.zeros((2, 2)), np.zeros(2)])


def test_unknown_keyword_is_an_error():
    with pytest.raises(TypeError, match="Unrecognized keyword arguments passed to Scale"):
        Scale(factr=3)


def test_training_flag_reaches_sublayers_and_updates_state():
    counter = Counter()

    class Wrapper(Layer):
        def __init__(self):
            super().__init__()
            self.inner = counter

        def call(self, x):  # no training argument: the flag still flows through
            return self.inner(x)

    wrapper = Wrapper()
    wrapper(np.ones((1, 1)), training=True)
    wrapper(np.ones((1, 1)))
    assert float(counter.count.value) == 1.0


def test_stateless_call_is_pure_and_returns_new_state():
    layer = Counter()
    layer(np.ones((1, 1)))
    before = float(layer.count.value)
    call = jax.jit(lambda nt, x: layer.stateless_call([], nt, x, training=True))
    out, new_state = call([jnp.asarray(5.0)], np.ones((1, 1), np.float32))
    assert float(new_state[0]) == 6.0
    assert float(layer.count.value) == before


def test_regularization_and_activity_losses(linear):
    layer = linear(2, kernel_regularizer=lamella.regularizers.L2(0.5), activity_regularizer="l1")
    x = np.ones((1, 3), np.float32)
    out = layer(x)
    kernel = layer.kernel.numpy()
    losses = layer.losses
    assert len(losses) == 2
    np.testing.assert_allclose(float(losses[0]), 0.01 * np.abs(np.asarray(out)).sum(), rtol=1e-5)
    np.testing.assert_allclose(float(losses[1]), 0.5 * (kernel**2).sum(), rtol=1e-5)


def test_default_get_config_captures_plain_arguments():
    layer = Scale(factor=3.0, name="scale_me")
    config = layer.get_config()
    assert config["factor"] == 3.0 and config["name"] == "scale_me"
    clone = Scale.from_config(config)
    np.testing.assert_allclose(clone(np.ones(2)), [3.0, 3.0])


def test_default_get_config_explains_how_to_write_one():
    layer = Scale(factor=np.float32(2) * np.ones(2))
    with pytest.raises(NotImplementedError, match=r"(?s)factor.*def get_config"):
        layer.get_config()


def test_symbolic_call_uses_traced_shapes_when_not_written():
    x = SymbolicTensor((None, 4, 5))
    y = Scale()(x)
    assert isinstance(y, SymbolicTensor) and y.shape == (None, 4, 5)


def test_input_spec_error_names_layer_and_shapes(linear):
    layer = linear(2, name="dense")
    layer(np.ones((1, 784)))
    layer.input_spec = lamella.InputSpec(axes={-1: 784})
    with pytest.raises(ValueError, match=r"layer 'dense'.*784.*\(32, 100\)"):
        layer(np.ones((32, 100)))


def test_float64_inputs_compute_in_floatx(linear):
    out = linear(2)(np.ones((1, 3), dtype=np.float64))
    assert out.dtype == jnp.float32


def test_mixed_policy_computes_low_keeps_float32_weights(linear):
    layer = linear(2, dtype="mixed_bfloat16")
    out = layer(np.ones((1, 3), np.float32))
    assert out.dtype == jnp.bfloat16
    assert layer.kernel.dtype == "float32"


def test_step_variables_equal_the_two_properties_in_one_walk():
    from lamella.testing import Linear

    class Centre(Layer):
        # A layer with non-trainable state, as BatchNormalization's statistics.
        def build(self, input_shape):
            self.mean = self.add_weight(shape=(input_shape[-1],), initializer="zeros", trainable=False, name="mean")

        def call(self, x):
            return x - self.mean.value

        def compute_output_shape(self, input_shape):
            return input_shape

    inputs = lamella.Input(shape=(4,))
    x = Linear(3, name="frozen")(inputs)
    x = Centre()(x)
    model = lamella.Model(inputs, Linear(2)(x))
    model.get_layer("frozen").trainable = False
    trainable, non_trainable = model._step_variables()
    assert [id(v) for v in trainable] == [id(v) for v in model.trainable_variables]
    assert [id(v) for v in non_trainable] == [id(v) for v in model.non_trainable_variables]
    assert len(trainable) == 2 and len(non_trainable) == 3  # frozen kernel and bias, the mean
