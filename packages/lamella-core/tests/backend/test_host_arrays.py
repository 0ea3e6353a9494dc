"""Initializer outputs that variables take over in place, and everything else copied."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import lamella
from lamella import initializers
from lamella.backend import host_arrays
from lamella.engine.sequential import Sequential
from lamella.testing import Linear, PlainSGD, squared_error


@pytest.mark.parametrize("shape", [(), (0,), (7,), (3, 5), (2, 3, 4, 5)])
@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16", "int32", "uint8"])
def test_empty_is_aligned_and_has_the_requested_shape_and_dtype(shape, dtype):
    array = host_arrays.empty(shape, dtype)
    assert array.shape == shape
    assert array.dtype == np.dtype(dtype)
    assert array.flags.c_contiguous and array.flags.writeable
    if array.size:
        assert array.ctypes.data % host_arrays.ALIGNMENT == 0


def test_fresh_keeps_its_own_arrays_and_copies_anything_else():
    own = host_arrays.empty((4,), "float32")
    assert host_arrays.fresh(own, "float32") is own

    users = np.arange(4, dtype=np.float32)
    copy = host_arrays.fresh(users, "float32")
    assert copy is not users and not np.shares_memory(copy, users)
    np.testing.assert_array_equal(copy, users)
    assert copy.ctypes.data % host_arrays.ALIGNMENT == 0

    cast = host_arrays.fresh(own, "float16")
    assert cast.dtype == np.float16 and not np.shares_memory(cast, own)


def test_claim_hands_over_an_array_once_and_makes_it_read_only():
    array = host_arrays.empty((3,), "float32")
    assert host_arrays.claim(array)
    assert not array.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        array[0] = 1.0
    assert not host_arrays.claim(array), "a second variable must not take the same memory"
    assert not host_arrays.claim(np.zeros(3, np.float32))
    assert not host_arrays.claim([1.0, 2.0])


@pytest.mark.parametrize("name", sorted(initializers.ALL_INITIALIZERS))
def test_every_builtin_initializer_returns_an_array_a_variable_can_adopt(name):
    initializer = initializers.get(name)
    values = initializer((4, 4), dtype="float32")
    assert values.dtype == np.float32
    assert values.ctypes.data % host_arrays.ALIGNMENT == 0
    assert host_arrays.claim(values)


def _filling_initializer(value, made):
    """An initializer writing ``value`` into ``host_arrays.empty``; keeps each array in ``made``."""

    def initializer(shape, dtype=None):
        array = host_arrays.empty(shape, dtype)
        array[...] = value
        made.append(array)
        return array

    return initializer


def test_a_variable_uses_its_initializers_memory_in_place_on_the_cpu():
    made = []
    initializer = _filling_initializer(2.5, made)
    variable = lamella.Variable(initializer, shape=(64, 64), dtype="float32")
    np.testing.assert_array_equal(np.asarray(variable.value), np.full((64, 64), 2.5, np.float32))
    (array,) = made
    if jax.default_backend() == "cpu":
        assert variable.value.unsafe_buffer_pointer() == array.ctypes.data
    # The host copy cannot drift from the weight afterwards.
    with pytest.raises(ValueError, match="read-only"):
        array[0, 0] = 0.0


def test_a_variable_created_while_tracing_adopts_a_concrete_array():
    # A subclassed model builds its layers inside the trace of its first call.
    made, created = [], []

    def initializer(shape, dtype=None):
        made.append(host_arrays.fresh(np.arange(16.0), dtype))
        return made[-1]

    @jax.jit
    def first_call(x):
        created.append(lamella.Variable(initializer, shape=(16,), dtype="float32"))
        return x + 1.0

    first_call(1.0)
    (variable,) = created
    assert not isinstance(variable.value, jax.core.Tracer)
    np.testing.assert_array_equal(np.asarray(variable.value), np.arange(16.0, dtype=np.float32))
    if jax.default_backend() == "cpu":
        assert variable.value.unsafe_buffer_pointer() == made[0].ctypes.data


def _aligned_users_array():
    # 64-byte aligned and float32: what jnp.asarray would use in place on the CPU.
    values = np.empty(8 * 8 + 16, np.float32)
    start = (-values.ctypes.data % host_arrays.ALIGNMENT) // values.itemsize
    values = values[start:start + 64].reshape(8, 8)
    values[...] = 1.0
    assert values.ctypes.data % host_arrays.ALIGNMENT == 0
    return values


def test_initial_values_given_by_the_caller_are_copied():
    values = _aligned_users_array()
    variable = lamella.Variable(values)
    values[0, 0] = 5.0
    assert values.flags.writeable
    assert float(variable.value[0, 0]) == 1.0

    # Also through a callable that returns an array the caller keeps.
    kept = _aligned_users_array()
    variable = lamella.Variable(lambda shape, dtype=None: kept, shape=(8, 8))
    kept[0, 0] = 7.0
    assert float(variable.value[0, 0]) == 1.0


def test_assigned_numpy_values_are_copied():
    variable = lamella.Variable(np.zeros((8, 8), np.float32))
    values = _aligned_users_array()
    variable.assign(values)
    values[0, 0] = 9.0
    assert float(variable.value[0, 0]) == 1.0
    np.testing.assert_array_equal(np.asarray(variable.value), np.ones((8, 8), np.float32))


def test_donating_an_adopted_weight_leaves_the_host_memory_alone():
    made = []
    initializer = _filling_initializer(1.0, made)
    variable = lamella.Variable(initializer, shape=(256,), dtype="float32")
    step = jax.jit(lambda x: x * 2.0 + 1.0, donate_argnums=0)
    first = step(variable.value)
    second = step(first)
    np.testing.assert_array_equal(np.asarray(second), np.full(256, 7.0, np.float32))
    np.testing.assert_array_equal(made[0], np.ones(256, np.float32))


def test_a_dtype_mismatch_is_converted_rather_than_adopted():
    variable = lamella.Variable(
        lambda shape, dtype=None: host_arrays.fresh(np.full(shape, 3.0), "float32"),
        shape=(4,), dtype="float16",
    )
    assert variable.value.dtype == jnp.float16
    np.testing.assert_array_equal(np.asarray(variable.value), np.full(4, 3.0, np.float16))


def test_a_layer_trains_from_adopted_weights():
    model = Sequential([lamella.Input((3,)), Linear(2)])
    kernel_before = np.array(model.layers[0].kernel.numpy())
    model.compile(optimizer=PlainSGD(0.1), loss=squared_error)
    x = np.ones((8, 3), np.float32)
    model.fit(x, np.zeros((8, 2), np.float32), epochs=2, verbose=0)
    assert not np.allclose(model.layers[0].kernel.numpy(), kernel_before)
    np.testing.assert_allclose(
        model.predict(x, verbose=0), x @ model.layers[0].kernel.numpy() + model.layers[0].bias.numpy(),
        rtol=1e-5, atol=1e-6,
    )


def test_set_weights_copies_the_callers_arrays():
    model = Sequential([lamella.Input((8,)), Linear(8)])
    kernel = _aligned_users_array()
    model.set_weights([kernel, np.zeros(8, np.float32)])
    kernel[0, 0] = 9.0
    assert float(model.layers[0].kernel.value[0, 0]) == 1.0
