"""Keras 2's backend variables, random tensors, placeholders and functions
(``from keras import backend as K``).

``K.variable``, ``K.zeros`` and ``K.eye`` make lamella ``Variable``s;
``K.get_value`` / ``K.set_value`` read and assign them (a learning rate included);
``K.placeholder`` is a symbolic input and ``K.function(inputs, outputs)`` turns
symbolic tensors of a model into a callable on numpy data, the Keras 2 way to read
an intermediate layer's output.
"""

import numpy as np

from lamella.backend import global_state
from lamella.backend.config import floatx
from lamella.backend.dtypes import standardize_dtype

__all__ = [
    "batch_get_value", "batch_set_value", "count_params", "eval", "eye", "function",
    "get_uid", "get_value", "is_placeholder", "ones", "placeholder", "random_bernoulli",
    "random_binomial", "random_normal", "random_uniform", "reset_uids", "set_value",
    "truncated_normal", "variable", "zeros",
]


def variable(value, dtype=None, name=None, constraint=None):
    """A ``Variable`` holding ``value`` (of ``dtype``, default ``floatx()``)."""
    from lamella.engine.variable import Variable

    array = np.asarray(value, dtype=standardize_dtype(dtype or floatx()))
    return Variable(array, dtype=array.dtype.name, trainable=True, name=name, constraint=constraint)


def zeros(shape, dtype=None, name=None):  # noqa: A002
    """A ``Variable`` of zeros (Keras 2 made variables here, not constants)."""
    return variable(np.zeros(tuple(shape)), dtype=dtype, name=name)


def ones(shape, dtype=None, name=None):  # noqa: A002
    """A ``Variable`` of ones."""
    return variable(np.ones(tuple(shape)), dtype=dtype, name=name)


def eye(size, dtype=None, name=None):  # noqa: A002
    """A ``Variable`` holding the identity matrix (``size`` or ``(rows, columns)``)."""
    rows, columns = (size, size) if isinstance(size, int) else tuple(size)
    return variable(np.eye(rows, columns), dtype=dtype, name=name)


def get_value(x):
    """The value of a variable (or tensor) as a numpy array."""
    from lamella.ops.core import convert_to_numpy

    return convert_to_numpy(x)


def eval(x):  # noqa: A001 - Keras 2's name
    """``get_value``: jax tensors are always evaluated."""
    return get_value(x)


def batch_get_value(tensors):
    return [get_value(x) for x in tensors]


def set_value(x, value):
    """Assigns ``value`` to the variable ``x`` (its shape must not change)."""
    if not hasattr(x, "assign"):
        raise TypeError(f"set_value expected a Variable. Received: {type(x).__name__}")
    x.assign(np.asarray(value, dtype=np.dtype(x.dtype)))


def batch_set_value(tuples):
    """``set_value`` for each ``(variable, value)`` pair."""
    for x, value in tuples:
        set_value(x, value)


def count_params(x):
    """The number of scalars in ``x``."""
    return int(np.prod(x.shape))


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    from lamella import random

    return random.uniform(shape, minval=minval, maxval=maxval, dtype=dtype or floatx(), seed=seed)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    from lamella import random

    return random.normal(shape, mean=mean, stddev=stddev, dtype=dtype or floatx(), seed=seed)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal values redrawn beyond two standard deviations of the mean."""
    from lamella import random

    return random.truncated_normal(shape, mean=mean, stddev=stddev, dtype=dtype or floatx(), seed=seed)


def random_bernoulli(shape, p=0.0, dtype=None, seed=None):
    """1 with probability ``p``, else 0."""
    import jax

    from lamella.random.seed_generator import make_key

    draws = jax.random.bernoulli(make_key(seed), p, tuple(shape))
    return draws.astype(standardize_dtype(dtype or floatx()))


random_binomial = random_bernoulli  # Keras 2's older name


def placeholder(shape=None, ndim=None, dtype=None, sparse=False, name=None):
    """A symbolic input of ``shape`` (with the batch axis, ``None`` for unknown
    sizes) or of rank ``ndim``: ``Input(batch_shape=shape)``."""
    from lamella.engine.input_layer import Input

    if sparse:
        raise ValueError("placeholder: lamella tensors are dense. Received: sparse=True")
    if shape is None:
        if ndim is None:
            raise ValueError("placeholder needs a shape or an ndim. Received neither.")
        shape = (None,) * ndim
    return Input(batch_shape=tuple(shape), dtype=dtype, name=name)


def is_placeholder(x):
    """Whether ``x`` is a symbolic input made by ``placeholder`` or ``Input``."""
    from lamella.engine.input_layer import InputLayer
    from lamella.engine.symbolic_tensor import SymbolicTensor

    return isinstance(x, SymbolicTensor) and x._history is not None and isinstance(x._history[0], InputLayer)


class Function:
    """A callable from symbolic ``inputs`` to ``outputs`` of a model's graph (what
    ``function`` returns): ``f([x1, x2, ...]) -> [numpy outputs]``."""

    def __init__(self, inputs, outputs, name=None):
        from lamella.engine.functional import Functional

        self._single_output = not isinstance(outputs, list | tuple)
        self.inputs = list(inputs) if isinstance(inputs, list | tuple) else [inputs]
        self.outputs = [outputs] if self._single_output else list(outputs)
        self._model = Functional(self.inputs, self.outputs, name=name or "function")

    def __call__(self, inputs):
        inputs = list(inputs) if isinstance(inputs, list | tuple) else [inputs]
        if len(inputs) != len(self.inputs):
            raise ValueError(
                f"This function takes {len(self.inputs)} input(s) (a list, in the order "
                f"given to function()). Received {len(inputs)}."
            )
        outputs = self._model(inputs if len(inputs) > 1 else inputs[0], training=False)
        outputs = outputs if isinstance(outputs, list | tuple) else [outputs]
        return [np.asarray(o) for o in outputs]


def function(inputs, outputs, updates=None, name=None, **kwargs):
    """Keras 2's ``K.function``: the computation from symbolic ``inputs`` to symbolic
    ``outputs`` (of a built model) as a callable on numpy data, returning a list of
    numpy arrays.

    ``updates`` were TensorFlow 1 graph assignments; lamella's computations are
    pure functions, so variables change in layers (``add_weight`` + ``assign``) or
    through an optimizer, and a non-empty ``updates`` is refused.

    Example:

    >>> import lamella
    >>> inputs = lamella.Input((3,))
    >>> hidden = lamella.layers.Dense(4, kernel_initializer="ones")(inputs)
    >>> model = lamella.Model(inputs, lamella.layers.Dense(1)(hidden))
    >>> read_hidden = function([model.inputs[0]], [model.layers[1].output])
    >>> read_hidden([np.ones((2, 3))])[0].tolist()
    [[3.0, 3.0, 3.0, 3.0], [3.0, 3.0, 3.0, 3.0]]
    """
    if updates:
        raise ValueError(
            "function() cannot apply updates: lamella computations are pure. Assign "
            "variables in a layer's call or train them with an optimizer. Received: "
            f"updates={updates!r}"
        )
    if kwargs:
        raise TypeError(f"function() got unexpected keyword arguments: {sorted(kwargs)}")
    return Function(inputs, outputs, name=name)


def get_uid(prefix=""):
    """A counter per ``prefix``, from 1: ``get_uid('dense')`` returns 1, then 2."""
    counts = global_state.setdefault("legacy_uids", dict)
    counts[prefix] = counts.get(prefix, 0) + 1
    return counts[prefix]


def reset_uids():
    """Restarts every ``get_uid`` counter."""
    global_state.setdefault("legacy_uids", dict).clear()
