"""Keras 2's backend functions (``from lamella import backend as K``) against numpy
formulas, with Keras 2's semantics where they differ from numpy's, and the
tutorials' custom layer written with ``K.dot``."""

import doctest

import numpy as np
import pytest

import lamella
from lamella import backend as K
from lamella.backend import legacy_arrays, legacy_math, legacy_nn, legacy_state

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 4)).astype("float32")
Y = RNG.normal(size=(3, 4)).astype("float32")
P = np.abs(RNG.normal(size=(3, 4))).astype("float32") + 0.1

# (function name, arguments, numpy reference)
ELEMENTWISE = [
    ("abs", (X,), np.abs(X)), ("square", (X,), X ** 2), ("exp", (X,), np.exp(X)),
    ("log", (P,), np.log(P)), ("sign", (X,), np.sign(X)), ("sin", (X,), np.sin(X)),
    ("cos", (X,), np.cos(X)), ("pow", (P, 1.5), P ** 1.5), ("round", (X * 3,), np.round(X * 3)),
    ("sqrt", (X,), np.sqrt(np.maximum(X, 0))), ("maximum", (X, Y), np.maximum(X, Y)),
    ("minimum", (X, Y), np.minimum(X, Y)), ("clip", (X, -0.5, 0.5), np.clip(X, -0.5, 0.5)),
    ("clip", (X, 0.5, -1.0), np.full_like(X, 0.5)),  # max below min: raised to min
    ("equal", (X, X), np.ones_like(X, bool)), ("not_equal", (X, Y), X != Y),
    ("greater", (X, Y), X > Y), ("greater_equal", (X, Y), X >= Y), ("less", (X, Y), X < Y),
    ("less_equal", (X, Y), X <= Y),
    ("sum", (X, 1), X.sum(1)), ("sum", (X, [0, 1], True), X.sum((0, 1), keepdims=True)),
    ("prod", (X, 0), X.prod(0)), ("mean", (X,), X.mean()), ("mean", (X > 0, 1), (X > 0).mean(1)),
    ("var", (X, 0), X.var(0)), ("std", (X, 1, True), X.std(1, keepdims=True)),
    ("max", (X, 1), X.max(1)), ("min", (X,), X.min()), ("any", (X > 1, 1), (X > 1).any(1)),
    ("all", (X, 0), (X != 0).all(0)), ("argmax", (X,), X.argmax(-1)), ("argmin", (X, 0), X.argmin(0)),
    ("cumsum", (X, 1), X.cumsum(1)), ("cumprod", (X,), X.cumprod(0)),
    ("logsumexp", (X, 1), np.log(np.exp(X).sum(1))),
]


@pytest.mark.parametrize("name, args, expected", ELEMENTWISE, ids=[f"{c[0]}-{i}" for i, c in enumerate(ELEMENTWISE)])
def test_math_functions_follow_their_numpy_formulas(name, args, expected):
    result = np.asarray(getattr(K, name)(*args))
    assert result.shape == np.shape(expected)
    np.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-6)


def test_dot_contracts_the_last_axis_with_the_second_to_last_as_keras_2():
    a, b = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(5, 4, 6))
    np.testing.assert_allclose(K.dot(a, b), np.tensordot(a, b, axes=([2], [1])), rtol=1e-5, atol=1e-6)
    assert K.dot(a, b).shape == (2, 3, 5, 6)
    np.testing.assert_allclose(K.dot(X, Y.T), X @ Y.T, rtol=1e-5)
    with pytest.raises(ValueError, match=r"last axis of x \(4\) must equal axis 0 of y \(3\).*\(3, 4\)"):
        K.dot(X, np.ones((3, 2)))


def test_batch_dot_multiplies_sample_by_sample():
    a, b = RNG.normal(size=(5, 2, 3)), RNG.normal(size=(5, 3, 4))
    np.testing.assert_allclose(K.batch_dot(a, b), np.einsum("bij,bjk->bik", a, b), rtol=1e-5, atol=1e-6)
    c = RNG.normal(size=(5, 4, 2))
    np.testing.assert_allclose(K.batch_dot(a, c, axes=(1, 2)), np.einsum("bji,bkj->bik", a, c), rtol=1e-5, atol=1e-6)
    vectors = K.batch_dot(X, Y, axes=1)
    assert vectors.shape == (3, 1)  # a trailing axis for a batch of scalars
    np.testing.assert_allclose(np.asarray(vectors)[:, 0], (X * Y).sum(1), rtol=1e-5)
    with pytest.raises(ValueError, match="cannot contract the batch axis"):
        K.batch_dot(a, b, axes=(0, 0))
    with pytest.raises(ValueError, match=r"incompatible shapes \(5, 2, 3\) and \(5, 2, 3\)"):
        K.batch_dot(a, a)


def test_array_functions_keep_keras_2_semantics():
    assert K.repeat(X, 2).shape == (3, 2, 4)
    np.testing.assert_array_equal(np.asarray(K.repeat(X, 2))[:, 1], X)
    np.testing.assert_array_equal(K.repeat_elements(X, 2, 1), np.repeat(X, 2, 1))
    assert K.batch_flatten(np.ones((2, 3, 4))).shape == (2, 12)
    assert K.flatten(X).shape == (12,)
    np.testing.assert_array_equal(K.concatenate([X, Y]), np.concatenate([X, Y], -1))
    np.testing.assert_array_equal(K.concatenate([X, Y], axis=0), np.concatenate([X, Y], 0))
    np.testing.assert_array_equal(K.permute_dimensions(np.ones((2, 3, 4)), (2, 0, 1)).shape, (4, 2, 3))
    np.testing.assert_array_equal(K.transpose(X), X.T)
    np.testing.assert_array_equal(K.reshape(X, (2, 6)), X.reshape(2, 6))
    np.testing.assert_array_equal(K.expand_dims(X, 0).shape, (1, 3, 4))
    np.testing.assert_array_equal(K.squeeze(X[:, :1], 1), X[:, 0])
    np.testing.assert_array_equal(K.stack([X, Y], axis=1), np.stack([X, Y], 1))
    np.testing.assert_array_equal(K.tile(X, (2, 1)), np.tile(X, (2, 1)))
    np.testing.assert_array_equal(K.gather(X, [2, 0]), X[[2, 0]])
    np.testing.assert_array_equal(K.one_hot(np.array([0, 2]), 3), np.eye(3)[[0, 2]])
    np.testing.assert_array_equal(K.reverse(X, 1), X[:, ::-1])
    np.testing.assert_array_equal(K.slice(X, (1, 1), (2, 2)), X[1:3, 1:3])
    np.testing.assert_array_equal(K.arange(4), np.arange(4))
    np.testing.assert_array_equal(K.arange(1, 7, 2), [1, 3, 5])
    np.testing.assert_array_equal(K.switch(X > 0, X, np.zeros_like(X)), np.where(X > 0, X, 0))
    np.testing.assert_array_equal(K.switch(np.array([True, False, True]), X, Y), np.where([[True], [False], [True]], X, Y))
    np.testing.assert_array_equal(K.switch(False, lambda: X, lambda: Y), Y)
    assert K.int_shape(X) == (3, 4) and K.shape(X)[0] == 3 and K.ndim(X) == 2
    assert K.dtype(K.cast(X, "float16")) == "float16"
    assert K.cast_to_floatx([1, 2]).dtype == np.float32 and isinstance(K.cast_to_floatx([1]), np.ndarray)
    assert K.constant(2.0, shape=(2, 2)).tolist() == [[2.0, 2.0], [2.0, 2.0]]
    np.testing.assert_array_equal(K.zeros_like(X), np.zeros_like(X))
    with pytest.raises(ValueError, match=r"repeat expected a 2D tensor.*\(3,\)"):
        K.repeat(np.ones(3), 2)


def test_variables_are_read_and_assigned():
    v = K.variable([[1, 2], [3, 4]], name="v")
    assert isinstance(v, lamella.Variable) and v.dtype == "float32"
    K.set_value(v, [[5, 6], [7, 8]])
    np.testing.assert_array_equal(K.get_value(v), [[5, 6], [7, 8]])
    np.testing.assert_array_equal(K.eval(K.dot(v, K.eye(2))), [[5, 6], [7, 8]])
    zeros, ones = K.zeros((2, 3)), K.ones((3,), dtype="int32")
    assert isinstance(zeros, lamella.Variable) and K.count_params(zeros) == 6
    K.batch_set_value([(zeros, np.full((2, 3), 2.0)), (ones, [4, 5, 6])])
    assert [x.tolist() for x in K.batch_get_value([zeros, ones])] == [[[2.0] * 3] * 2, [4, 5, 6]]
    assert K.eye((2, 3)).shape == (2, 3)
    with pytest.raises(TypeError, match="set_value expected a Variable. Received: ndarray"):
        K.set_value(np.ones(2), [1, 2])


def test_an_optimizers_learning_rate_is_a_variable_for_get_and_set_value():
    optimizer = lamella.optimizers.get("sgd") if hasattr(lamella, "optimizers") else None
    if optimizer is None:
        pytest.skip("lamella-optimizers is not installed")
    K.set_value(optimizer.learning_rate, 0.25)
    assert float(K.get_value(optimizer.learning_rate)) == 0.25


def test_random_functions_are_reproducible_with_a_seed():
    a, b = K.random_normal((1000,), mean=2.0, stddev=0.5, seed=3), K.random_normal((1000,), mean=2.0, stddev=0.5, seed=3)
    np.testing.assert_array_equal(a, b)
    assert abs(float(np.mean(a)) - 2.0) < 0.1 and abs(float(np.std(a)) - 0.5) < 0.05
    u = np.asarray(K.random_uniform((1000,), -1.0, 3.0, seed=1))
    assert u.min() >= -1.0 and u.max() < 3.0 and abs(u.mean() - 1.0) < 0.15
    assert np.abs(np.asarray(K.truncated_normal((1000,), seed=2))).max() <= 2.0
    bits = np.asarray(K.random_bernoulli((1000,), p=0.3, seed=4))
    assert set(np.unique(bits)) <= {0.0, 1.0} and abs(bits.mean() - 0.3) < 0.05
    assert K.random_binomial is K.random_bernoulli


def test_nn_functions_use_keras_2_formulas():
    eps = K.epsilon()
    np.testing.assert_allclose(K.relu(X, alpha=0.1, max_value=0.5), np.minimum(np.where(X > 0, X, 0.1 * X), 0.5), rtol=1e-6)
    np.testing.assert_allclose(K.elu(X, 0.5), np.where(X > 0, X, 0.5 * (np.exp(X) - 1)), rtol=1e-5)
    np.testing.assert_allclose(K.hard_sigmoid(X * 4), np.clip(0.8 * X + 0.5, 0, 1), rtol=1e-6)
    np.testing.assert_allclose(K.sigmoid(X), 1 / (1 + np.exp(-X)), rtol=1e-5)
    np.testing.assert_allclose(K.softsign(X), X / (1 + np.abs(X)), rtol=1e-6)
    np.testing.assert_allclose(K.softplus(X), np.log1p(np.exp(X)), rtol=1e-5)
    np.testing.assert_allclose(K.tanh(X), np.tanh(X), rtol=1e-5)
    softmax = np.exp(X) / np.exp(X).sum(-1, keepdims=True)
    np.testing.assert_allclose(K.softmax(X), softmax, rtol=1e-5)
    target = np.eye(4, dtype="float32")[[0, 3, 1]]
    probabilities = P / P.sum(-1, keepdims=True)
    expected = -(target * np.log(np.clip(probabilities, eps, 1 - eps))).sum(-1)
    np.testing.assert_allclose(K.categorical_crossentropy(target, P), expected, rtol=1e-5)
    np.testing.assert_allclose(K.categorical_crossentropy(target, X, from_logits=True),
                               -(target * np.log(softmax)).sum(-1), rtol=1e-5)
    np.testing.assert_allclose(K.sparse_categorical_crossentropy(np.array([0, 3, 1]), P), expected, rtol=1e-5)
    p = np.clip(1 / (1 + np.exp(-X)), eps, 1 - eps)
    t = (Y > 0).astype("float32")
    bce = -(t * np.log(p + eps) + (1 - t) * np.log(1 - p + eps))
    np.testing.assert_allclose(K.binary_crossentropy(t, 1 / (1 + np.exp(-X))), bce, rtol=1e-4)
    np.testing.assert_allclose(K.binary_crossentropy(t, X, from_logits=True), bce, rtol=1e-3)
    np.testing.assert_allclose(K.l2_normalize(X, axis=1), X / np.linalg.norm(X, axis=1, keepdims=True), rtol=1e-5)
    np.testing.assert_array_equal(K.in_top_k(X, np.argsort(X, -1)[:, -2], 2), [True, True, True])
    np.testing.assert_array_equal(K.in_top_k(X, np.argsort(X, -1)[:, 0], 2), [False, False, False])
    images = np.zeros((2, 3, 4, 4), "float32")
    assert np.asarray(K.bias_add(images, np.array([1.0, 2.0, 3.0]), "channels_first"))[0, :, 0, 0].tolist() == [1, 2, 3]
    assert np.asarray(K.bias_add(np.zeros((2, 3)), np.array([1.0, 2.0, 3.0])))[1].tolist() == [1, 2, 3]


def test_dropout_always_drops_and_rescales():
    dropped = np.asarray(K.dropout(np.ones((100, 100), "float32"), 0.25, seed=0))
    assert set(np.unique(dropped)) == {0.0, np.float32(1 / 0.75)}
    assert abs((dropped == 0).mean() - 0.25) < 0.02
    with pytest.raises(ValueError, match=r"level in \[0, 1\). Received: level=1.5"):
        K.dropout(X, 1.5)


class MyCustomLayer(lamella.layers.Layer if hasattr(lamella, "layers") else lamella.Layer):
    """The Keras tutorials' customized layer, as written there with ``K.dot``."""

    def __init__(self, output_dim, **kwargs):
        self.output_dim = output_dim
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[1], self.output_dim),
                                      initializer="normal", trainable=True)
        super().build(input_shape)

    def call(self, input_data):
        return K.dot(input_data, self.kernel)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.output_dim)


def test_the_tutorials_custom_layer_with_k_dot_trains():
    from lamella.testing import PlainSGD, squared_error

    lamella.utils.set_random_seed(0)
    x = RNG.normal(size=(64, 16)).astype("float32")
    y = x @ RNG.normal(size=(16, 2)).astype("float32")
    model = lamella.Sequential([lamella.Input((16,)), MyCustomLayer(2)])
    model.compile(optimizer=PlainSGD(0.05), loss=squared_error)
    history = model.fit(x, y, batch_size=16, epochs=30, verbose=0)
    assert history.history["loss"][-1] < 0.01 * history.history["loss"][0]
    np.testing.assert_allclose(model.predict(x, verbose=0), x @ np.asarray(model.layers[0].kernel.value), rtol=1e-4, atol=1e-5)


def test_function_reads_an_intermediate_layer_of_a_model():
    from lamella.testing import Linear

    inputs = lamella.Input((3,))
    hidden = Linear(4)(inputs)
    model = lamella.Model(inputs, Linear(2)(hidden))
    x = RNG.normal(size=(5, 3)).astype("float32")
    read = K.function([model.inputs[0]], [hidden, model.outputs[0]])
    got_hidden, got_output = read([x])
    first = model.layers[1]
    np.testing.assert_allclose(got_hidden, x @ np.asarray(first.kernel.value) + np.asarray(first.bias.value), rtol=1e-5)
    np.testing.assert_allclose(got_output, model.predict(x, verbose=0), rtol=1e-5)
    with pytest.raises(ValueError, match="cannot apply updates"):
        K.function([inputs], [hidden], updates=[(first.kernel, first.kernel)])
    with pytest.raises(ValueError, match=r"takes 1 input\(s\).*Received 2"):
        read([x, x])


def test_placeholder_is_a_symbolic_input():
    p = K.placeholder(shape=(None, 4), name="features")
    assert K.int_shape(p) == (None, 4) and K.is_placeholder(p)
    assert K.int_shape(K.placeholder(ndim=3)) == (None, None, None)
    assert not K.is_placeholder(np.ones(2))
    with pytest.raises(ValueError, match="needs a shape or an ndim"):
        K.placeholder()


def test_get_uid_counts_per_prefix_until_reset():
    K.reset_uids()
    assert [K.get_uid("dense"), K.get_uid("dense"), K.get_uid("conv")] == [1, 2, 1]
    K.reset_uids()
    assert K.get_uid("dense") == 1


def _has_layers():
    try:
        import lamella.layers  # noqa: F401
    except ImportError:
        return False
    return True


def test_every_listed_function_is_on_the_backend_and_the_examples_run():
    for module in (legacy_math, legacy_arrays, legacy_nn, legacy_state):
        for name in module.__all__:
            assert getattr(K, name) is getattr(module, name), name
            assert name in dir(K)
        finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
        for test in finder.find(module, globs={"np": np, **{n: getattr(module, n) for n in module.__all__}}):
            # function()'s example builds a model with Dense (lamella-layers).
            if "lamella.layers" in "".join(e.source for e in test.examples) and not _has_layers():
                continue
            runner.run(test)
        assert runner.failures == 0, module.__name__
    with pytest.raises(AttributeError, match="has no attribute 'no_such_function'"):
        K.no_such_function
