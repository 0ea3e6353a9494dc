"""``Zeros``, ``Ones``, ``Constant`` and ``Identity``: exact values against Keras 3,
dtypes, configs and names."""

import json
import re

import numpy as np
import pytest

from lamella import initializers

DTYPES = ["float32", "bfloat16", "float16"]
ALIASES = {
    "zeros": "Zeros", "zero": "Zeros", "ones": "Ones", "one": "Ones",
    "constant": "Constant", "identity": "Identity", "IdentityInitializer": "Identity",
}


def assert_equal_to_keras(ours, theirs):
    theirs = np.asarray(theirs)
    assert ours.shape == theirs.shape
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.keras_parity
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 3, 3, 4)])
@pytest.mark.parametrize(
    "name, kwargs", [("Zeros", {}), ("Ones", {}), ("Constant", {"value": -1.25})]
)
def test_fill_initializers_equal_keras(keras, name, kwargs, shape, dtype):
    ours = getattr(initializers, name)(**kwargs)(shape, dtype=dtype)
    theirs = getattr(keras.initializers, name)(**kwargs)(shape, dtype=dtype)
    assert_equal_to_keras(ours, theirs)


@pytest.mark.keras_parity
def test_constant_broadcasts_an_array_value_like_keras(keras):
    value = np.array([1.0, -2.0, 3.5], np.float32)
    ours = initializers.Constant(value)((4, 3))
    assert_equal_to_keras(ours, keras.initializers.Constant(value)((4, 3)))
    np.testing.assert_array_equal(ours[2], value)


@pytest.mark.keras_parity
@pytest.mark.parametrize("dtype", ["int32", "float32"])
def test_zeros_and_ones_of_integer_and_default_dtype(keras, dtype):
    for name in ("Zeros", "Ones"):
        assert_equal_to_keras(
            getattr(initializers, name)()((2, 2), dtype),
            getattr(keras.initializers, name)()((2, 2), dtype),
        )
    assert initializers.Ones()((2,)).dtype == np.float32


@pytest.mark.keras_parity
@pytest.mark.parametrize("shape", [(4, 4), (3, 5), (5, 3)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_identity_equals_keras(keras, shape, dtype):
    for gain in (1.0, 2.5):
        ours = initializers.Identity(gain=gain)(shape, dtype=dtype)
        theirs = keras.initializers.Identity(gain=gain)(shape, dtype=dtype)
        assert_equal_to_keras(ours, theirs)
        np.testing.assert_array_equal(np.asarray(ours, np.float32), gain * np.eye(*shape))


@pytest.mark.parametrize("shape", [(3,), (2, 2, 2)])
def test_identity_rejects_non_matrices_quoting_the_shape(shape):
    with pytest.raises(ValueError, match=re.escape(f"shape={tuple(shape)}")):
        initializers.Identity()(shape)


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "name, kwargs",
    [("Zeros", {}), ("Ones", {}), ("Constant", {"value": 0.3}), ("Constant", {"value": 7})],
)
def test_config_equals_keras_and_round_trips(keras, name, kwargs):
    ours = getattr(initializers, name)(**kwargs)
    theirs = getattr(keras.initializers, name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    rebuilt = initializers.deserialize(initializers.serialize(ours))
    assert type(rebuilt) is type(ours)
    np.testing.assert_array_equal(rebuilt((3, 2)), ours((3, 2)))


def test_identity_config_keeps_the_gain():
    # Keras 3.15's Identity.get_config() returns {} and loses the gain; lamella keeps it.
    original = initializers.Identity(gain=3.0)
    rebuilt = initializers.deserialize(initializers.serialize(original))
    np.testing.assert_array_equal(rebuilt((2, 2)), 3.0 * np.eye(2))
    assert initializers.Identity.from_config({}).gain == 1.0


@pytest.mark.parametrize("value", [np.float32(0.5), np.array([1.0, 2.0]), np.int64(3)])
def test_constant_config_is_json_ready_for_numpy_values(value):
    config = initializers.Constant(value).get_config()
    rebuilt = initializers.Constant.from_config(json.loads(json.dumps(config)))
    shape = (2, np.size(value))
    np.testing.assert_array_equal(rebuilt(shape), initializers.Constant(value)(shape))


@pytest.mark.keras_parity
@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_string_aliases_resolve_to_the_class_keras_resolves(keras, alias):
    # Keras's table, not keras.initializers.get: Keras 3.15's get("constant") fails
    # (Constant.from_config({}) reads config["value"]); lamella gives Constant(0.0).
    from keras.src.initializers import ALL_OBJECTS_DICT

    ours = initializers.get(alias)
    assert type(ours).__name__ == ALIASES[alias]
    assert type(ours).__name__ == ALL_OBJECTS_DICT[alias].__name__
    assert getattr(initializers, alias) is getattr(initializers, ALIASES[alias])


def test_constant_by_name_fills_with_zero():
    np.testing.assert_array_equal(initializers.get("constant")((2, 2)), np.zeros((2, 2)))


@pytest.mark.keras_parity
def test_every_keras_initializer_name_resolves(keras):
    from keras.src.initializers import ALL_OBJECTS_DICT

    # STFT (an audio front-end kernel) is not part of lamella-core's catalogue.
    for name, cls in ALL_OBJECTS_DICT.items():
        if "stft" in name.lower() or cls.__name__ == "Initializer":
            continue
        assert type(initializers.get(name)).__name__ == cls.__name__, name
