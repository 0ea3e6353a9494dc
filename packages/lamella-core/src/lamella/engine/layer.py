"""``Layer``: the building block every layer and model derives from.

A layer takes hyper-parameters in ``__init__``, creates its weights in
``build(input_shape)`` with ``add_weight``, and computes in ``call``. Calling it on
arrays computes eagerly; calling it on symbolic tensors records a node of a
functional graph. Under ``jit`` the same ``call`` runs inside a ``StatelessScope``,
which turns the layer into a pure function of its variables' values.
"""

import jax
import jax.numpy as jnp
import numpy as np

from lamella import dtype_policies
from lamella.engine import call_context, layer_config, layer_walk, naming, state_scope
from lamella.engine.input_spec import assert_input_compatibility
from lamella.engine.layer_nodes import LayerNodesMixin
from lamella.engine.node import Node
from lamella.engine.output_spec import trace_output_spec
from lamella.engine.symbolic_tensor import SymbolicTensor
from lamella.engine.variable import Variable, autocast_scope

# Keyword arguments every layer accepts besides its own hyper-parameters. The input
# shape ones are Keras 2 forms that the seed tutorials use on a first layer.
_BASE_KWARGS = ("input_shape", "input_dim", "batch_input_shape", "batch_size", "weights")


def _is_symbolic(x):
    return isinstance(x, SymbolicTensor)


def _has_symbolic(tree):
    return any(_is_symbolic(x) for x in jax.tree.leaves(tree, is_leaf=_is_symbolic))


class Layer(LayerNodesMixin):
    """The base class of layers.

    Args:
        activity_regularizer: a regularizer applied to the layer's outputs; its value
            is added to the loss during training.
        trainable: whether the layer's weights are updated by training.
        dtype: a dtype policy (or its name): the dtype of computations and weights.
        autocast: whether floating inputs are cast to the compute dtype.
        name: the layer's name; unique by default (``dense``, ``dense_1``, ...).
        input_shape: on the first layer of a ``Sequential`` model, the shape of one
            sample (no batch axis). ``input_dim=n`` is short for ``input_shape=(n,)``;
            ``batch_input_shape`` includes the batch axis; ``batch_size`` fixes it.
        weights: initial weights, as ``set_weights`` takes them, set after building.

    Example:

    >>> class Scale(Layer):
    ...     def build(self, input_shape):
    ...         self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")
    ...     def call(self, x):
    ...         return x * self.scale
    >>> Scale()(np.ones((2, 3))).shape
    (2, 3)
    """

    # Attributes never walked when collecting sublayers and variables.
    _untracked_attributes = frozenset(
        {"_inbound_nodes", "_outbound_nodes", "_init_arguments", "_dtype_policy", "_cached_walk"}
    )

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        obj._init_arguments = layer_config.capture_arguments(cls, args, kwargs)
        return obj

    def __init__(
        self,
        *,
        activity_regularizer=None,
        trainable=True,
        dtype=None,
        autocast=True,
        name=None,
        **kwargs,
    ):
        unknown = sorted(set(kwargs) - set(_BASE_KWARGS))
        if unknown:
            raise TypeError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                f"{ {k: kwargs[k] for k in unknown} }"
            )
        if name is not None and (not isinstance(name, str) or "/" in name):
            raise ValueError(
                "A layer name is a string without '/'. "
                f"Received: name={name!r}"
            )
        self.name = name or naming.auto_name(type(self).__name__)
        self._trainable = bool(trainable)
        self._dtype_policy = dtype_policies.get(dtype)
        self.autocast = autocast
        self.built = False
        self.input_spec = None
        self.supports_masking = False
        self._own_variables = []
        self._losses = []
        self._inbound_nodes = []
        self._outbound_nodes = []
        if activity_regularizer is not None:
            from lamella import regularizers

            activity_regularizer = regularizers.get(activity_regularizer)
        self.activity_regularizer = activity_regularizer
        self._batch_input_shape = _batch_input_shape_from_kwargs(self, kwargs)
        self._initial_weights = kwargs.get("weights")

    # -- attributes --------------------------------------------------------------------

    @property
    def dtype_policy(self):
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        self._dtype_policy = dtype_policies.get(value)

    @property
    def dtype(self):
        """The dtype of the layer's weights (its policy's variable dtype)."""
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self):
        return self._dtype_policy.variable_dtype

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        for layer in self._flatten_layers(include_self=True):
            layer._trainable = value

    # -- tracking ----------------------------------------------------------------------

    def __setattr__(self, name, value):
        if name in self._untracked_attributes:
            return super().__setattr__(name, value)
        old = self.__dict__.get(name)
        super().__setattr__(name, value)
        # A cached walk of the layers (layer_walk.py) read this attribute if it
        # holds something walked; atomic values (numbers, strings, flags other than
        # ``_trainable``) and other objects are never walked.
        if name == "_trainable" or _walked(value) or _walked(old):
            layer_walk.note_change()

    def __delattr__(self, name):
        super().__delattr__(name)
        if name not in self._untracked_attributes:
            layer_walk.note_change()

    def _direct_children(self):
        """Sublayers and loose variables held in attributes, in assignment order."""
        return _attribute_children(self)

    def _walked_children(self, walk):
        """``_direct_children()``, telling ``walk`` what was read to find them."""
        if type(self)._direct_children is Layer._direct_children:
            return _attribute_children(self, walk)
        children = self._direct_children()
        walk.watch_source(self._direct_children, children)
        return children

    def _flatten_layers(self, include_self=True, recursive=True):
        if recursive:
            layers = [layer for layer, _ in self._layer_variables()]
            return layers if include_self else layers[1:]
        layers = {id(self): self} if include_self else {}
        for child in self._direct_children():
            if isinstance(child, Layer):
                layers.setdefault(id(child), child)
        return list(layers.values())

    @property
    def layers(self):
        """The direct sublayers, in the order they were assigned."""
        return self._flatten_layers(include_self=False, recursive=False)

    def _own_variable_list(self, children, walk):
        """Variables created by this layer (``add_weight``, attributes, seeds), from
        its ``children`` (``_direct_children()``); ``walk``: the ``LayerWalk`` told
        what was read."""
        variables = list(self._own_variables)
        walk.watch_container(self._own_variables)
        seen = {id(v) for v in variables}
        for child in children:
            if isinstance(child, Variable) and id(child) not in seen:
                seen.add(id(child))
                variables.append(child)
            elif _is_seed_generator(child):
                walk.watch_source(lambda generator=child: (generator.state,), (child.state,))
                if id(child.state) not in seen:
                    seen.add(id(child.state))
                    variables.append(child.state)
        return variables

    def _current_walk(self):
        """The ``LayerWalk`` of this layer's tree, reused while nothing it read has
        changed (the engine asks for the variables on every call)."""
        cached = self.__dict__.get("_cached_walk")
        if cached is not None and cached.is_current(self):
            if layer_walk.checking():
                _check_walk(self, cached)
            return cached
        walk = self._walk()
        self._cached_walk = walk
        return walk

    def _walk(self):
        walk = layer_walk.LayerWalk(self)
        seen = {id(self)}
        found = []

        def visit(layer):
            children = layer._walked_children(walk)
            found.append((layer, layer._own_variable_list(children, walk)))
            for child in children:
                if isinstance(child, Layer) and id(child) not in seen:
                    seen.add(id(child))
                    visit(child)

        visit(self)
        walk.layer_variables = found
        return walk

    def _layer_variables(self):
        """``[(layer, its own variables)]`` for this layer and every sublayer, in
        ``_flatten_layers`` order; each layer's attributes are scanned once."""
        return self._current_walk().layer_variables

    def _collect(self, predicate, layer_variables=None):
        seen = set()
        result = []
        for layer, variables in layer_variables or self._layer_variables():
            for variable in variables:
                if id(variable) not in seen and predicate(layer, variable):
                    seen.add(id(variable))
                    result.append(variable)
        return result

    def _step_variables(self):
        """``(trainable_variables, non_trainable_variables)`` from one walk of the
        layers: what the training and inference engines check on every call."""
        walk = self._current_walk()
        kept = walk.step_variables
        if kept is None or layer_walk.checking():
            walked = walk.layer_variables
            walk.step_variables = (
                self._collect(_trainable_weight, walked),
                self._collect(_non_trainable_variable, walked),
            )
            if kept is not None and not all(map(layer_walk.same_items, kept, walk.step_variables)):
                raise RuntimeError(
                    f"The kept trainable and non-trainable variables of {self.name!r} are "
                    f"stale: {[[v.path for v in group] for group in kept]} were kept, "
                    f"{[[v.path for v in group] for group in walk.step_variables]} are "
                    "current. A flag the walk reads changed without counting as a "
                    "change (see lamella/engine/layer_walk.py)."
                )
        return walk.step_variables

    @property
    def variables(self):
        """Every variable: weights and random-seed states."""
        return self._collect(lambda layer, v: True)

    @property
    def weights(self):
        """Weights: trainable then non-trainable (no random-seed states)."""
        return self.trainable_weights + self.non_trainable_weights

    @property
    def trainable_weights(self):
        return self._collect(_trainable_weight)

    @property
    def non_trainable_weights(self):
        return self._collect(
            lambda layer, v: not (v.trainable and layer._trainable)
            and not _is_seed_state(v)
        )

    @property
    def trainable_variables(self):
        return self.trainable_weights

    @property
    def non_trainable_variables(self):
        """Non-trainable weights and random-seed states: what a step threads through."""
        return self._collect(_non_trainable_variable)

    # -- weights -----------------------------------------------------------------------

    def add_weight(
        self,
        shape=None,
        initializer=None,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        name=None,
    ):
        """Creates a variable owned by this layer and returns it.

        Args:
            shape: the weight's shape (default ``()``).
            initializer: an initializer or its name; default ``'glorot_uniform'`` for
                floating weights and ``'zeros'`` otherwise.
            dtype: default the layer's variable dtype.
            trainable: whether the optimizer updates it.
            autocast: whether it reads in the compute dtype under mixed precision.
            regularizer: a regularizer or its name; its value joins ``layer.losses``.
            constraint: a constraint or its name, applied after each update.
            name: the weight's name (``kernel``, ``bias``, ...).
        """
        from lamella import constraints, initializers, regularizers
        from lamella.backend.dtypes import is_float_dtype, standardize_dtype

        shape = () if shape is None else tuple(shape)
        for d in shape:
            if d is None or int(d) < 0:
                raise ValueError(
                    f"Layer '{self.name}' cannot create weight {name!r} with an "
                    f"unknown or negative dimension. Received: shape={shape}"
                )
        dtype = standardize_dtype(dtype or self.variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if is_float_dtype(dtype) else "zeros"
        variable = Variable(
            initializers.get(initializer),
            shape=shape,
            dtype=dtype,
            trainable=trainable,
            autocast=autocast,
            name=name or "variable",
            constraint=constraints.get(constraint),
            regularizer=regularizers.get(regularizer),
        )
        variable.path = f"{self.name}/{variable.name}"
        self._own_variables.append(variable)
        return variable

    def get_weights(self):
        """The weights as a list of numpy arrays."""
        return [np.asarray(v.value) for v in self.weights]

    def set_weights(self, weights):
        """Sets the weights from a list of arrays, in the order of ``get_weights``."""
        targets = self.weights
        weights = list(weights)
        if len(weights) != len(targets):
            raise ValueError(
                f"Layer '{self.name}' has {len(targets)} weights "
                f"({[v.name for v in targets]}), but set_weights received "
                f"{len(weights)} arrays."
            )
        for variable, value in zip(targets, weights):
            value = np.asarray(value)
            if tuple(value.shape) != variable.shape:
                raise ValueError(
                    f"Layer '{self.name}': weight '{variable.name}' has shape "
                    f"{variable.shape}, but set_weights received an array of shape "
                    f"{tuple(value.shape)}."
                )
        for variable, value in zip(targets, weights):
            variable.assign(value)

    def count_params(self):
        """The number of scalars in the layer's weights."""
        if not self.built:
            raise ValueError(
                f"You tried to call count_params on layer '{self.name}', but the "
                "layer isn't built. Build it first (call it on data or call "
                "build(input_shape))."
            )
        return int(sum(v.size for v in self.weights))

    # -- losses ------------------------------------------------------------------------

    def add_loss(self, loss):
        """Adds a loss (a scalar tensor) to be minimized during training."""
        scope = state_scope.loss_collecting_scope()
        if scope is not None:
            scope.add_loss(loss)
        else:
            self._losses.append(loss)

    @property
    def losses(self):
        """Losses added during the last call plus the weights' regularization."""
        losses = []
        for layer in self._flatten_layers(include_self=True):
            losses.extend(layer._losses)
        for variable in self.weights:
            if variable.regularizer is not None:
                losses.append(variable.regularizer(variable.value))
        return losses

    def _clear_losses(self):
        for layer in self._flatten_layers(include_self=True):
            layer._losses = []

    # -- building ----------------------------------------------------------------------

    def build(self, input_shape):
        """Creates the weights, once the input shape is known. Override it."""
        self.built = True

    def _maybe_build(self, inputs):
        if self.built:
            return
        shapes = jax.tree.map(
            lambda x: tuple(x.shape), inputs, is_leaf=_has_shape
        )
        self.build(shapes)
        self.built = True
        # Kept for summaries of layers that were built eagerly (inside a subclassed
        # model), which have no node to read an output shape from.
        self._build_shapes = shapes
        if self._initial_weights is not None:
            weights, self._initial_weights = self._initial_weights, None
            self.set_weights(weights)

    def build_from_shape(self, input_shape):
        """Builds the layer for ``input_shape`` (with the batch axis), if needed."""
        if not self.built:
            self.build(tuple(input_shape))
            self.built = True

    # -- calling -----------------------------------------------------------------------

    def call(self, inputs, *args, **kwargs):
        """The computation. Override it; ``training`` and ``mask`` are optional."""
        raise NotImplementedError(
            f"Layer {type(self).__name__} does not define call(); every layer must "
            "implement call(inputs, ...)."
        )

    def __call__(self, *args, **kwargs):
        if _has_symbolic((args, kwargs)):
            return self._symbolic_call(args, kwargs)
        if not args:
            raise ValueError(
                f"Layer '{self.name}' was called without inputs: pass them as the "
                "first positional argument."
            )
        inputs = self._convert_inputs(args[0])
        args = (inputs, *args[1:])
        if self._dtype_policy.is_mixed:
            # As Keras does, every floating array argument computes in the layer's
            # dtype, not only the first (attention's value and key, an RNN's
            # initial_state); otherwise a float32 one silently promotes the layer.
            args = (inputs, *(self._cast_floating(a) for a in args[1:]))
            kwargs = {k: self._cast_floating(v) for k, v in kwargs.items()}
        assert_input_compatibility(self.input_spec, inputs, self.name)
        self._maybe_build(inputs)
        training = kwargs.get("training")
        if training is None:
            training = call_context.current_training()
        if _call_accepts(type(self), "training") and training is not None:
            kwargs["training"] = training
        else:
            kwargs.pop("training", None)
        policy = self._dtype_policy
        with call_context.training_context(training):
            if policy.is_mixed:
                with autocast_scope(policy.compute_dtype):
                    outputs = self.call(*args, **kwargs)
            else:
                outputs = self.call(*args, **kwargs)
        if self.activity_regularizer is not None:
            self._add_activity_losses(outputs)
        return outputs

    def _add_activity_losses(self, outputs):
        # Per-sample mean (as Keras 2 and 3 do), so the penalty's weight does not
        # change with the batch size.
        for output in jax.tree.leaves(outputs):
            loss = self.activity_regularizer(output)
            if getattr(output, "ndim", 0) > 0 and output.shape[0]:
                loss = loss / jnp.asarray(output.shape[0], loss.dtype)
            self.add_loss(loss)

    def _cast_floating(self, value):
        """``value`` with its floating jax/numpy arrays cast to the compute dtype."""
        return jax.tree.map(
            lambda x: self._to_compute_dtype(x) if isinstance(x, jax.Array | np.ndarray) else x, value
        )

    def _to_compute_dtype(self, x):
        """The array ``x`` cast to the compute dtype if it is floating and the layer
        autocasts (what Keras does to every array argument)."""
        from lamella.backend.dtypes import is_float_dtype

        compute_dtype = self.compute_dtype
        if self.autocast and x.dtype != compute_dtype and is_float_dtype(x.dtype):
            return jnp.asarray(x, compute_dtype)
        return x

    def _convert_inputs(self, inputs):
        from lamella.ops.core import convert_to_tensor

        def convert(x):
            if _is_text(x):
                # XLA has no strings: text stays a numpy array, for host-side layers.
                return np.asarray(x)
            if isinstance(x, jax.Array | np.ndarray | Variable) or hasattr(
                x, "__array__"
            ):
                x = self._to_compute_dtype(convert_to_tensor(x))
            return x

        return jax.tree.map(convert, inputs, is_leaf=lambda x: isinstance(x, Variable))

    def _symbolic_call(self, args, kwargs):
        inputs = args[0] if args else None
        assert_input_compatibility(self.input_spec, inputs, self.name)
        if not self.built:
            self._maybe_build(inputs)
        kwargs = dict(kwargs)
        if not _call_accepts(type(self), "training"):
            kwargs.pop("training", None)
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, call_args=args, call_kwargs=kwargs, outputs=outputs)
        return outputs

    def compute_output_spec(self, *args, **kwargs):
        """Symbolic outputs for symbolic inputs (from ``compute_output_shape`` when the
        layer writes it, otherwise by tracing ``call`` without computing)."""
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            shapes = jax.tree.map(lambda x: x.shape, args[0], is_leaf=_is_symbolic)
            output_shape = self.compute_output_shape(shapes)
            return _shapes_to_symbolic(output_shape, self.compute_dtype)
        return trace_output_spec(self.__call__, args, kwargs)

    def compute_output_shape(self, input_shape):
        """The output shape for ``input_shape`` (with the batch axis, ``None`` for
        unknown sizes). The default traces ``call``; layers write it out."""
        spec = trace_output_spec(
            self.__call__,
            (jax.tree.map(lambda s: SymbolicTensor(s, self.compute_dtype),
                          input_shape, is_leaf=_is_shape),),
            {},
        )
        return jax.tree.map(lambda x: x.shape, spec, is_leaf=_is_symbolic)

    def compute_mask(self, inputs, previous_mask):
        """The output mask; by default masks pass through layers that support them."""
        return previous_mask if self.supports_masking else None

    def stateless_call(
        self, trainable_variables, non_trainable_variables, *args, return_losses=False,
        **kwargs,
    ):
        """Calls the layer as a pure function of the variables' values.

        Returns ``(outputs, non_trainable_variables)`` (plus the losses added during
        the call with ``return_losses=True``); the layer's own variables are not
        modified.
        """
        trainable = self.trainable_variables
        non_trainable = self.non_trainable_variables
        if len(trainable_variables) != len(trainable) or len(
            non_trainable_variables
        ) != len(non_trainable):
            raise ValueError(
                f"Layer '{self.name}' has {len(trainable)} trainable and "
                f"{len(non_trainable)} non-trainable variables; stateless_call "
                f"received {len(trainable_variables)} and "
                f"{len(non_trainable_variables)} values."
            )
        mapping = list(zip(trainable, trainable_variables)) + list(
            zip(non_trainable, non_trainable_variables)
        )
        with state_scope.StatelessScope(mapping, collect_losses=return_losses) as scope:
            outputs = self(*args, **kwargs)
            if return_losses:
                regularization = [
                    v.regularizer(v.value) for v in self.weights if v.regularizer
                ]
        new_non_trainable = [scope.get_current_value(v) for v in non_trainable]
        if return_losses:
            return outputs, new_non_trainable, list(scope.losses) + regularization
        return outputs, new_non_trainable

    # -- serialization -----------------------------------------------------------------

    def get_config(self):
        """The layer's constructor arguments, as plain values."""
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": self._dtype_policy.name,
        }
        if type(self).get_config is Layer.get_config and type(self).__init__ is not (
            Layer.__init__
        ):
            captured = dict(self._init_arguments or {})
            for key in ("name", "trainable", "dtype", *_BASE_KWARGS):
                captured.pop(key, None)
            return layer_config.auto_config(self, captured, config)
        return config

    @classmethod
    def from_config(cls, config):
        """Creates a layer from the output of ``get_config``."""
        config = dict(config)
        try:
            return cls(**config)
        except TypeError as error:
            raise TypeError(
                f"{cls.__name__}.from_config could not rebuild the layer from its "
                f"config ({error}). A layer whose constructor takes other arguments "
                f"than its get_config returns must override from_config. "
                f"Received config: {config}"
            ) from error

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _is_text(x):
    if isinstance(x, str | bytes):
        return True
    if isinstance(x, np.ndarray):
        return x.dtype.kind in "USO" and (x.dtype.kind != "O" or _first_is_text(x))
    if isinstance(x, list | tuple) and x:
        return _first_is_text(np.asarray(x, dtype=object))
    return False


def _first_is_text(array):
    flat = array.reshape(-1)
    return flat.size > 0 and isinstance(flat[0], str | bytes)


def _is_shape(x):
    return isinstance(x, tuple) and all(d is None or isinstance(d, int) for d in x)


def _has_shape(x):
    return hasattr(x, "shape") and not isinstance(x, tuple)


def _shapes_to_symbolic(shape_tree, dtype):
    if _is_shape(shape_tree):
        return SymbolicTensor(shape_tree, dtype)
    if isinstance(shape_tree, list):
        if all(d is None or isinstance(d, int) for d in shape_tree):
            return SymbolicTensor(tuple(shape_tree), dtype)
        return [_shapes_to_symbolic(s, dtype) for s in shape_tree]
    if isinstance(shape_tree, tuple):
        return tuple(_shapes_to_symbolic(s, dtype) for s in shape_tree)
    if isinstance(shape_tree, dict):
        return {k: _shapes_to_symbolic(s, dtype) for k, s in shape_tree.items()}
    raise TypeError(f"compute_output_shape returned {shape_tree!r}, not a shape.")


_CALL_ARGUMENTS = {}


def _call_accepts(cls, name):
    """Whether ``cls.call`` takes an argument called ``name`` (cached per class)."""
    key = (cls, name)
    accepted = _CALL_ARGUMENTS.get(key)
    if accepted is None:
        import inspect

        parameters = inspect.signature(cls.call).parameters
        accepted = name in parameters or any(
            p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
        )
        _CALL_ARGUMENTS[key] = accepted
    return accepted


# Attribute values that cannot hold a layer or a variable: skipped at once, since
# the engine walks every attribute of every layer on each call (ResNet50: ~30,000
# such values per ``predict_on_batch``).
_ATOMIC_TYPES = frozenset({type(None), bool, int, float, complex, str, bytes})


def _is_seed_generator(value):
    return getattr(value, "_is_lamella_seed_generator", False)


# What ``_direct_children`` does with an attribute value, by its type: the engine
# walks every layer's attributes whenever its kept walk is stale, and deciding by
# a dict lookup rather than isinstance checks and a getattr per value took that
# walk of ResNet50 (4,800 attributes) from 2.2 to 1.5 ms. Seed generators are
# marked by a class attribute, so the type decides for them too.
_TRACKED, _SEQUENCE, _MAPPING, _SKIPPED = "tracked", "sequence", "mapping", "skipped"
_KINDS = dict.fromkeys(_ATOMIC_TYPES, _SKIPPED)


def _walked(value):
    kind = _KINDS.get(type(value))
    return (kind or _classify(type(value))) is not _SKIPPED


def _attribute_children(layer, walk=None):
    """The layers, variables and seed generators in ``layer``'s attributes, in
    assignment order, looking inside lists, tuples and dicts; ``walk``: a
    ``LayerWalk`` told which lists and dicts were read."""
    found = []
    kinds = _KINDS

    def visit(values):
        for value in values:
            kind = kinds.get(type(value))
            if kind is None:
                kind = _classify(type(value))
            if kind is _TRACKED:
                found.append(value)
            elif kind is _SEQUENCE:
                if walk is not None and not isinstance(value, tuple):
                    walk.watch_container(value)
                visit(value)
            elif kind is _MAPPING:
                if walk is not None:
                    walk.watch_container(value)
                visit(value.values())

    untracked = layer._untracked_attributes
    visit([value for key, value in layer.__dict__.items() if key not in untracked])
    return found


def _check_walk(layer, cached):
    """Raise if ``cached`` differs from a fresh walk (``LAMELLA_CHECK_LAYER_WALKS``)."""
    fresh = layer._walk().layer_variables
    for index, ((old_layer, old_vars), (new_layer, new_vars)) in enumerate(zip(cached.layer_variables, fresh)):
        if old_layer is not new_layer or not layer_walk.same_items(old_vars, new_vars):
            break
    else:
        if len(cached.layer_variables) == len(fresh):
            return
        index = min(len(cached.layer_variables), len(fresh))

    def describe(entries):
        if index >= len(entries):
            return "nothing"
        sub, variables = entries[index]
        return f"layer {sub.name!r} with variables {[v.path for v in variables]}"

    raise RuntimeError(
        f"The kept walk of {layer.name!r}'s layers is stale at entry {index}: it "
        f"holds {describe(cached.layer_variables)}, a fresh walk finds "
        f"{describe(fresh)}: something changed what a layer holds in a way the "
        "kept walk does not see, such as writing into its __dict__ (see "
        "lamella/engine/layer_walk.py)."
    )


def _classify(cls):
    if issubclass(cls, Layer | Variable) or _is_seed_generator(cls):
        kind = _TRACKED
    elif issubclass(cls, list | tuple):
        kind = _SEQUENCE
    elif issubclass(cls, dict):
        kind = _MAPPING
    else:
        kind = _SKIPPED
    _KINDS[cls] = kind
    return kind


def _is_seed_state(variable):
    # Random-seed states and recurrent states (stateful RNNs) are threaded through
    # every step like non-trainable weights, but they are not weights: Keras leaves
    # them out of get_weights / set_weights and of saved weight files too.
    return getattr(variable, "_is_seed_state", False) or getattr(
        variable, "_is_layer_state", False
    )


def _batch_input_shape_from_kwargs(layer, kwargs):
    """The Keras 2 input-shape keywords of a first layer, as one batch shape."""
    batch_size = kwargs.get("batch_size")
    if kwargs.get("batch_input_shape") is not None:
        return tuple(kwargs["batch_input_shape"])
    if kwargs.get("input_shape") is not None:
        shape = kwargs["input_shape"]
        if isinstance(shape, int):
            shape = (shape,)
        return (batch_size, *tuple(shape))
    if kwargs.get("input_dim") is not None:
        input_dim = kwargs["input_dim"]
        if not isinstance(input_dim, int) or input_dim <= 0:
            raise ValueError(
                f"{type(layer).__name__} expected a positive integer for input_dim. "
                f"Received: input_dim={input_dim!r}"
            )
        return (batch_size, input_dim)
    return None


def _trainable_weight(layer, variable):
    return variable.trainable and layer._trainable and not _is_seed_state(variable)


def _non_trainable_variable(layer, variable):
    return not (variable.trainable and layer._trainable)
