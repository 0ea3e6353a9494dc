"""``Variable``: a named, mutable array owned by a layer, optimizer or metric.

A variable holds one ``jax.Array``. Reads go through ``value``, which honours an
active ``StatelessScope`` (so the same layer code runs eagerly and under ``jit``) and
an autocast scope (so mixed-precision layers compute in their compute dtype while
the variable stays in float32).

jax arrays cannot be subclassed, and jax no longer converts foreign objects during
tracing, so a variable is not an array: pass it to ``lamella.ops`` functions (which
convert it), or read ``variable.value`` before calling ``jax.numpy`` directly.
"""

import contextlib
import threading

import jax
import jax.numpy as jnp
import numpy as np

from lamella.backend import global_state, host_arrays
from lamella.backend.dtypes import standardize_dtype
from lamella.engine import layer_walk, state_scope

_autocast = threading.local()


@contextlib.contextmanager
def autocast_scope(dtype):
    """Floating variables created with ``autocast=True`` read as ``dtype`` inside."""
    previous = getattr(_autocast, "dtype", None)
    _autocast.dtype = None if dtype is None else standardize_dtype(dtype)
    try:
        yield
    finally:
        _autocast.dtype = previous


def _unique_variable_name(name):
    counts = global_state.setdefault("variable_names", dict)
    if name not in counts:
        counts[name] = 0
        return name
    counts[name] += 1
    return f"{name}_{counts[name]}"


def _private_array(value, dtype):
    """``value`` as a device array that host code cannot change afterwards. On the
    CPU, ``jnp.asarray`` may use a numpy array's memory in place (jax 0.10 does when
    it is 64-byte aligned and already of ``dtype``): the caller could then edit the
    weight by writing to their array, so numpy input is always copied."""
    if isinstance(value, np.ndarray):
        return jnp.array(value, dtype=dtype, copy=True)
    return jnp.asarray(value, dtype=dtype)


class Variable:
    """A mutable array with a name, a dtype and a trainable flag.

    Args:
        initializer: an initializer (callable ``(shape, dtype) -> array``, or its
            name such as ``'glorot_uniform'``), or an initial value (array-like).
        shape: the shape; required with a callable initializer.
        dtype: the dtype; defaults to the initial value's, or ``floatx()``.
        trainable: whether optimizers update it.
        autocast: whether it reads in a layer's compute dtype under mixed precision.
        name: a name; the layer that creates it sets ``path`` to ``layer/name``.
        constraint: a function applied after each optimizer update.
        regularizer: a function of the value giving a loss added during training.

    Example:

    >>> v = Variable([1.0, 2.0], name="v")
    >>> v.assign_add([1.0, 1.0]).numpy().tolist()
    [2.0, 3.0]
    """

    # Which of a layer's collections the variable is in: trainable or not, and
    # random-seed or recurrent state (threaded through steps, never saved).
    trainable = layer_walk.WalkedAttribute(True)
    _is_seed_state = layer_walk.WalkedAttribute(False)
    _is_layer_state = layer_walk.WalkedAttribute(False)

    def __init__(
        self,
        initializer,
        shape=None,
        dtype=None,
        trainable=True,
        autocast=True,
        name=None,
        constraint=None,
        regularizer=None,
    ):
        self.name = name or "variable"
        self.path = _unique_variable_name(self.name)
        self.trainable = bool(trainable)
        self.autocast = autocast
        self.constraint = constraint
        self.regularizer = regularizer
        if isinstance(initializer, str):
            from lamella import initializers

            initializer = initializers.get(initializer)
        if callable(initializer):
            if shape is None:
                raise ValueError(
                    f"Variable '{self.name}' has a callable initializer, so its shape "
                    "is needed. Received: shape=None"
                )
            self._dtype = standardize_dtype(dtype)
            shape = tuple(int(d) for d in shape)
            value = initializer(shape, dtype=self._dtype)
            # Only what the initializer just made may be adopted in place, never an
            # initial value the caller passed (and may still write to).
            adopt = host_arrays.claim(value)
        else:
            adopt = False
            value = initializer
            if dtype is None and hasattr(value, "dtype"):
                dtype = value.dtype
            self._dtype = standardize_dtype(dtype) if dtype is not None else None
        self._value = None
        self._initialize(value, shape, adopt)

    def _initialize(self, value, shape, adopt=False):
        if isinstance(value, Variable):
            value = value.value
        if self._dtype is None:
            if isinstance(value, int | bool) or (
                isinstance(value, list | tuple) and np.asarray(value).dtype.kind in "iub"
            ):
                self._dtype = standardize_dtype(np.asarray(value).dtype)
            else:
                self._dtype = standardize_dtype(None)
        # A layer may be built while a model is being traced (a subclassed model
        # builds on its first call); its initial values must stay concrete arrays,
        # not become tracers of that trace.
        with jax.ensure_compile_time_eval():
            if adopt and value.dtype == self._dtype:
                array = jax.device_put(value, may_alias=True)
            else:
                array = _private_array(value, self._dtype)
        if isinstance(array, jax.core.Tracer):
            raise ValueError(
                f"Variable '{self.name}' was given a traced value as its initial value; "
                "create variables outside of jit-compiled functions."
            )
        if shape is not None and tuple(array.shape) != tuple(shape):
            raise ValueError(
                f"Variable '{self.name}': the initial value has shape "
                f"{tuple(array.shape)}, but shape={tuple(shape)} was given."
            )
        self._shape = tuple(array.shape)
        self._value = array

    # -- reading ------------------------------------------------------------------

    @property
    def value(self):
        """The current value, as seen by the active scope (cast when autocasting)."""
        value = state_scope.lookup(self)
        if value is None:
            value = self._value
        target = getattr(_autocast, "dtype", None)
        if (
            target is not None
            and self.autocast
            and value.dtype != target
            and jnp.issubdtype(value.dtype, jnp.floating)
        ):
            return value.astype(target)
        return value

    @property
    def shape(self):
        return self._shape

    @property
    def ndim(self):
        return len(self._shape)

    @property
    def size(self):
        return int(np.prod(self._shape, dtype=np.int64))

    @property
    def dtype(self):
        return self._dtype

    def numpy(self):
        return np.asarray(self.value)

    # -- writing ------------------------------------------------------------------

    def assign(self, value):
        """Sets the value (recorded in the active scope under ``jit``); returns self."""
        from lamella.ops.core import convert_to_tensor

        if isinstance(value, np.ndarray):
            value = _private_array(value, self._dtype)
        else:
            value = convert_to_tensor(value, dtype=self._dtype)
        if tuple(value.shape) != self._shape:
            raise ValueError(
                f"Cannot assign a value of shape {tuple(value.shape)} to variable "
                f"'{self.path}' of shape {self._shape}: the shapes must match."
            )
        scope = state_scope.current_scope()
        if scope is not None:
            scope.add_update(self, value)
        else:
            self._value = value
        return self

    def assign_add(self, value):
        return self.assign(self.value + jnp.asarray(value, dtype=self._dtype))

    def assign_sub(self, value):
        return self.assign(self.value - jnp.asarray(value, dtype=self._dtype))

    # -- array protocol -------------------------------------------------------------

    def __array__(self, dtype=None, copy=None):
        array = np.asarray(self.value)
        return array.astype(dtype) if dtype is not None else array

    def __jax_array__(self):
        return self.value

    def __repr__(self):
        value = "<traced>" if isinstance(self.value, jax.core.Tracer) else np.asarray(
            self.value
        )
        return (
            f"<Variable path={self.path}, shape={self._shape}, dtype={self._dtype}, "
            f"value={value}>"
        )

    def __len__(self):
        return self._shape[0]

    def __getitem__(self, index):
        return self.value[index]

    def __bool__(self):
        return bool(self.value)

    def __float__(self):
        return float(self.value)

    def __int__(self):
        return int(self.value)

    def __index__(self):
        return int(self.value)

    # Arithmetic reads the value; variables are hashed by identity (dict keys, sets),
    # so __eq__ keeps identity semantics and elementwise equality is ops.equal.
    __hash__ = object.__hash__

    def __neg__(self):
        return -self.value

    def __pos__(self):
        return self.value

    def __abs__(self):
        return jnp.abs(self.value)

    def __invert__(self):
        return ~self.value


def _binary(name):
    # Looked up on the value itself: ``jax.Array`` is an abstract base whose dunder
    # methods raise; the concrete array (or tracer, under jit) implements them.
    def method(self, other):
        if isinstance(other, Variable):
            other = other.value
        return getattr(self.value, name)(other)

    method.__name__ = name
    return method


for _name in (
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
    "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__",
    "__rmod__", "__pow__", "__rpow__", "__matmul__", "__rmatmul__", "__lt__",
    "__le__", "__gt__", "__ge__", "__and__", "__rand__", "__or__", "__ror__",
    "__xor__", "__rxor__",
):
    setattr(Variable, _name, _binary(_name))
del _name
