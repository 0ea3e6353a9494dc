"""``Variable`` arithmetic reads the value, eagerly and under jit."""

import jax
import numpy as np
import pytest

import lamella

OPERATIONS = {
    "v + 1": lambda v: v + 1, "1 + v": lambda v: 1 + v, "v - 2": lambda v: v - 2,
    "3 - v": lambda v: 3 - v, "v * v": lambda v: v * v, "v / 2": lambda v: v / 2,
    "2 / v": lambda v: 2 / v, "v // 2": lambda v: v // 2, "v % 2": lambda v: v % 2,
    "v ** 2": lambda v: v ** 2, "2 ** v": lambda v: 2 ** v, "v @ v": lambda v: v @ v,
    "v > 1": lambda v: v > 1, "v <= 2": lambda v: v <= 2, "-v": lambda v: -v,
    "abs(v)": lambda v: abs(v),
}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_arithmetic_on_a_variable_equals_arithmetic_on_its_value(name):
    values = np.array([1.0, 2.0, 3.0], np.float32)
    variable = lamella.Variable(values)
    expected = OPERATIONS[name](values)
    np.testing.assert_allclose(np.asarray(OPERATIONS[name](variable)), expected, rtol=1e-6)


def test_arithmetic_between_two_variables_and_under_jit():
    a = lamella.Variable(np.array([1.0, 2.0], np.float32))
    b = lamella.Variable(np.array([3.0, 5.0], np.float32))
    np.testing.assert_allclose(a * b + a, [4.0, 12.0])
    np.testing.assert_allclose(jax.jit(lambda: a.value * 2 + b)(), [5.0, 9.0])
