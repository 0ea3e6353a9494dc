"""``Lambda``: computing, shapes (given, inferred, callable), arguments, masks and
configs that name functions instead of storing code."""

import json

import numpy as np
import pytest

import lamella
from lamella import layers
from lamella.testing import PlainSGD, squared_error
from lamella.utils import custom_object_scope, register_serializable


def double(x):
    return x * 2.0


def halve_last_axis(input_shape):
    return (*input_shape[:-1], input_shape[-1] // 2)


@pytest.mark.keras_parity
def test_lambda_matches_keras(keras, random_input):
    x = random_input(2, 3)
    fn = lambda v, power: v ** power  # noqa: E731
    np.testing.assert_allclose(
        layers.Lambda(fn, arguments={"power": 3})(x), keras.layers.Lambda(fn, arguments={"power": 3})(x),
        rtol=1e-6,
    )


def test_output_shape_is_inferred_given_or_computed():
    inputs = lamella.Input((4, 6))
    assert tuple(layers.Lambda(lambda x: x[:, :, :3])(inputs).shape) == (None, 4, 3)
    assert tuple(layers.Lambda(lambda x: x.sum(-1), output_shape=(4,))(inputs).shape) == (None, 4)
    halved = layers.Lambda(lambda x: x[..., ::2], output_shape=halve_last_axis)(inputs)
    assert tuple(halved.shape) == (None, 4, 3)


def test_a_lambda_in_a_functional_model_trains_around_it(random_input):
    inputs = lamella.Input((3,))
    hidden = layers.Dense(4)(inputs)
    outputs = layers.Dense(1)(layers.Lambda(lambda x: x * x)(hidden))
    model = lamella.Model(inputs, outputs)
    model.compile(optimizer=PlainSGD(0.01), loss=squared_error)
    x = random_input(32, 3)
    history = model.fit(x, (x ** 2).sum(1, keepdims=True), epochs=10, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_multiple_inputs_and_outputs(random_input):
    a, b = lamella.Input((3,)), lamella.Input((3,))
    first, second = layers.Lambda(lambda pair: (pair[0] + pair[1], pair[0] * pair[1]))([a, b])
    assert tuple(first.shape) == tuple(second.shape) == (None, 3)
    x, y = random_input(2, 3), random_input(2, 3, seed=1)
    s, p = layers.Lambda(lambda pair: (pair[0] + pair[1], pair[0] * pair[1]))([x, y])
    np.testing.assert_allclose(s, x + y)
    np.testing.assert_allclose(p, x * y)


def test_training_and_mask_reach_a_function_that_takes_them(random_input):
    seen = {}

    def fn(x, training=None, mask=None):
        seen.update(training=training, mask=mask)
        return x

    mask = np.array([[True, False]])
    layers.Lambda(fn)(random_input(1, 2), training=True, mask=mask)
    assert seen["training"] is True and seen["mask"] is mask


def test_mask_argument_gives_the_output_mask():
    x = np.zeros((1, 3), np.float32)
    assert layers.Lambda(double).compute_mask(x, np.ones((1, 3), bool)) is None
    computed = layers.Lambda(double, mask=lambda inputs, mask: mask[:, :2]).compute_mask(x, np.ones((1, 3), bool))
    assert computed.shape == (1, 2)


def test_config_names_registered_functions_and_round_trips(random_input):
    registered = register_serializable(package="tests")(double)
    layer = layers.Lambda(registered, output_shape=(3,), name="doubler")
    config = json.loads(json.dumps(layer.get_config()))
    assert config["function"] == {"class_name": "function", "config": "tests>double"}
    rebuilt = layers.deserialize(layers.serialize(layer))
    x = random_input(2, 3)
    np.testing.assert_allclose(rebuilt(x), x * 2)
    assert rebuilt.get_config() == layer.get_config()


def test_unregistered_functions_load_only_from_custom_objects(random_input):
    layer = layers.Lambda(double, output_shape=halve_last_axis)
    serialized = json.loads(json.dumps(layers.serialize(layer)))
    with pytest.raises(ValueError, match=r"names the function 'double'.*never loads Python code"):
        layers.deserialize(serialized)
    with custom_object_scope({"double": double, "halve_last_axis": halve_last_axis}):
        rebuilt = layers.deserialize(serialized)
    assert rebuilt.function is double and rebuilt._output_shape is halve_last_axis
    rebuilt = layers.deserialize(serialized, custom_objects={"double": double, "halve_last_axis": halve_last_axis})
    np.testing.assert_allclose(rebuilt(random_input(1, 2)), 2 * random_input(1, 2))


def test_activation_names_resolve_without_custom_objects(random_input):
    layer = layers.Lambda(lamella.activations.relu)
    rebuilt = layers.deserialize(json.loads(json.dumps(layers.serialize(layer))))
    assert rebuilt.function is lamella.activations.relu


def test_bad_arguments_raise_quoting_them():
    with pytest.raises(ValueError, match="Lambda expected a callable function. Received: function=3"):
        layers.Lambda(3)
    with pytest.raises(ValueError, match="arguments=\\[1\\]"):
        layers.Lambda(double, arguments=[1])
    with pytest.raises(ValueError, match="output_shape='3'"):
        layers.Lambda(double, output_shape="3")
    with pytest.raises(ValueError, match="not plain values"):
        layers.Lambda(double, arguments={"table": np.zeros(3)}).get_config()


def test_an_anonymous_function_loads_by_the_layers_name(random_input):
    layer = layers.Lambda(lambda x: x + 1.0, name="plus_one")
    serialized = json.loads(json.dumps(layers.serialize(layer)))
    assert serialized["config"]["function"]["config"] == "<lambda>"
    rebuilt = layers.deserialize(serialized, custom_objects={"plus_one": lambda x: x + 1.0})
    np.testing.assert_allclose(rebuilt(np.zeros((1, 2), np.float32)), [[1.0, 1.0]])


def test_code_in_a_config_is_refused():
    config = {"name": "evil", "function": {"class_name": "__lambda__", "config": {"code": "AAAA"}}}
    with pytest.raises(ValueError, match="never loads Python code"):
        layers.Lambda.from_config(config)
