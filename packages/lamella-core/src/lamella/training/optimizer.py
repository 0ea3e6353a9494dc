"""``Optimizer``: the base of optimizers.

What every optimizer shares lives here once: gradient clipping, decoupled weight
decay, learning-rate schedules (and Keras 2's ``decay``), loss scaling, gradient
accumulation, an exponential moving average of the weights, constraints. Subclasses
write the update of one variable, Keras style::

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = [self.add_variable_from_reference(v, "momentum") for v in variables]

    def update_step(self, gradient, variable, learning_rate):
        m = self.momentums[self._get_variable_index(variable)]
        self.assign(m, ...)
        self.assign_sub(variable, ...)

The engine runs ``stateless_apply`` inside the compiled step: the same code becomes a
pure function of the optimizer's state and the weights, so every feature above
stays on the device (``where`` selects, never a Python ``if`` on a value). The
catalogue (SGD, Adam, ...) lives in lamella-optimizers.
"""

import re

import jax.numpy as jnp
import numpy as np

from lamella.backend.dtypes import standardize_dtype
from lamella.engine import naming, state_scope
from lamella.engine.variable import Variable
from lamella.training import optimizer_features
from lamella.training.optimizer_saving import OptimizerSaving
from lamella.training.optimizer_features import clip_gradients
from lamella.training.optimizer_options import (
    check_base_arguments,
    check_number,
    is_number,
    pop_keras_2_arguments,
    takes_no_argument,
)

__all__ = ["Optimizer", "check_number", "is_number"]


class Optimizer(OptimizerSaving):
    """Base class of optimizers.

    Args:
        learning_rate: a non-negative number, or a schedule: a callable of the
            iteration count (such as a ``lamella.optimizers.schedules`` object), or
            a callable without arguments (called at every step, as Keras does).
        weight_decay: decoupled weight decay: each step first subtracts
            ``learning_rate * weight_decay * w`` from each weight (see
            ``exclude_from_weight_decay``).
        clipnorm: clip each gradient to this L2 norm.
        clipvalue: clip each gradient element to ``[-clipvalue, clipvalue]``.
        global_clipnorm: clip all gradients together to this global L2 norm.
            At most one of the three clipping arguments may be set; 0 means no
            clipping.
        use_ema: keep an exponential moving average of the weights,
            ``average = ema_momentum * average + (1 - ema_momentum) * w`` after
            every step (the first step copies the weights); ``fit`` ends by
            writing the averages into the weights.
        ema_momentum: in ``[0, 1]``, the momentum of the average.
        ema_overwrite_frequency: with ``use_ema``, also write the averages into the
            weights every this many steps (``None``: only at the end of ``fit``).
        loss_scale_factor: a static loss scale: the engine multiplies the loss by
            it before differentiating and the gradients are divided by it again,
            which keeps small float16 gradients from underflowing (see
            ``lamella.optimizers.LossScaleOptimizer`` for a dynamic scale).
        gradient_accumulation_steps: an integer >= 2: gradients are summed over
            this many calls and the weights updated on every last one, with their
            mean (a larger batch than fits in memory). ``iterations`` counts
            updates.
        name: the optimizer's name (default: the class name in snake case).
        lr: Keras 2's name of ``learning_rate``.
        decay: Keras 2's time-based decay: the rate used at update ``t`` is
            ``learning_rate / (1 + decay * t)`` (on top of a schedule, if any).

    Invalid arguments raise a ``ValueError`` naming the argument and the value.
    """

    def __init__(
        self,
        learning_rate,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        owner = type(self).__name__
        learning_rate, decay = pop_keras_2_arguments(owner, learning_rate, kwargs)
        if kwargs:
            raise ValueError(f"Unrecognized arguments passed to {owner}: {sorted(kwargs)}")
        check_base_arguments(
            owner, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
        )
        self.name = name or naming.to_snake_case(owner)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = bool(use_ema)
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.decay = decay
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._variable_index = {}
        self._averages = []
        self._accumulators = []
        self._excluded_ids = set()
        self._excluded_pattern = None
        self._iterations = self._new_variable(np.zeros((), np.int32), "iteration")
        if callable(learning_rate):
            self._schedule = learning_rate
            self._learning_rate = None
        else:
            if not is_number(learning_rate) or learning_rate < 0:
                raise ValueError(
                    f"{owner} expected a non-negative number or a schedule for "
                    f"learning_rate. Received: learning_rate={learning_rate!r}"
                )
            self._schedule = None
            self._learning_rate = self._new_variable(
                np.asarray(learning_rate, np.float32), "learning_rate"
            )

    def _new_variable(self, value, name):
        variable = Variable(value, trainable=False, name=name)
        variable.path = f"{self.name}/{name}"
        self._variables.append(variable)
        return variable

    # -- state -------------------------------------------------------------------------

    @property
    def variables(self):
        """The optimizer's state: iteration count, learning rate and slots, in the
        order Keras 3 keeps them (so that its saved state lines up by index)."""
        return list(self._variables)

    @property
    def iterations(self):
        """The number of updates so far: the iteration variable, or with gradient
        accumulation the number of completed accumulations (an array)."""
        if self.gradient_accumulation_steps:
            return self._update_count()
        return self._iterations

    def _update_count(self):
        # An array in every case: a Variable's == and != compare identities.
        count = self._iterations.value
        if self.gradient_accumulation_steps:
            return count // self.gradient_accumulation_steps
        return count

    @property
    def learning_rate(self):
        """The current learning rate (a variable, or the schedule's current value)."""
        if self._schedule is not None or self.decay:
            return self._current_learning_rate()
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        if callable(value):
            raise TypeError(
                "A schedule is set when the optimizer is created; assign a number to "
                f"change the rate during training. Received: {value!r}"
            )
        if self._schedule is not None:
            raise TypeError(
                "This optimizer follows a learning-rate schedule; its rate cannot be "
                "assigned."
            )
        self._learning_rate.assign(float(value))

    def _current_learning_rate(self):
        if self._schedule is None:
            rate = self._learning_rate.value
        elif takes_no_argument(self._schedule):
            rate = jnp.asarray(self._schedule(), jnp.float32)
        else:
            # Schedules see every call, accumulating ones included, as in Keras 3.
            rate = jnp.asarray(self._schedule(self._iterations.value), jnp.float32)
        if self.decay:
            updates = self._update_count().astype(jnp.float32)
            rate = rate / (1.0 + jnp.asarray(self.decay, jnp.float32) * updates)
        return rate

    def build(self, variables):
        """Creates per-variable state (slots) for ``variables``.

        Extend it, returning early when ``self.built`` is already set (a second
        ``build`` must not create a second set of slots). The base creates the
        moving averages (``use_ema``) and gradient accumulators first, as Keras 3
        does.
        """
        self._trainable_variables = list(variables)
        self._variable_index = {id(v): i for i, v in enumerate(self._trainable_variables)}
        if self.use_ema:
            self._averages = [self.add_variable_from_reference(v, "average") for v in variables]
        if self.gradient_accumulation_steps:
            self._accumulators = [
                self.add_variable_from_reference(v, "gradient_accumulator") for v in variables
            ]
        self.built = True

    def add_variable_from_reference(self, reference, name, initializer="zeros"):
        """A slot shaped like ``reference`` (a momentum, a second moment, ...)."""
        from lamella import initializers

        dtype = standardize_dtype(reference.dtype)
        value = np.asarray(initializers.get(initializer)(reference.shape, dtype=dtype))
        slot_name = f"{reference.path.replace('/', '_')}_{name}"
        slot = self._new_variable(value, slot_name)
        # A distribution lays a slot out like its variable (split the same way).
        slot._reference_variable = reference
        return slot

    def add_variable(self, shape, initializer="zeros", dtype=None, name=None):
        from lamella import initializers

        dtype = standardize_dtype(dtype)
        value = np.asarray(initializers.get(initializer)(tuple(shape), dtype=dtype))
        return self._new_variable(value, name or "variable")

    def _get_variable_index(self, variable):
        return self._variable_index[id(variable)]

    def _check_variables_are_known(self, variables):
        unknown = [v for v in variables if id(v) not in self._variable_index]
        if unknown:
            names = [getattr(v, "path", repr(v)) for v in unknown]
            raise ValueError(
                f"{type(self).__name__} was built for other variables and cannot "
                f"update {names}. Build a new optimizer for a new set of variables."
            )

    # -- assignment helpers used by update_step ----------------------------------------

    @staticmethod
    def assign(variable, value):
        variable.assign(value)

    @staticmethod
    def assign_add(variable, value):
        variable.assign(variable.value + value)

    @staticmethod
    def assign_sub(variable, value):
        variable.assign(variable.value - value)

    # -- weight decay --------------------------------------------------------------------

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Leaves some variables out of ``weight_decay`` (call it before the first
        step): those in ``var_list``, and those whose name contains a match of one
        of the regular expressions ``var_names`` (``["bias", "gamma"]``)."""
        if self.built:
            raise ValueError(
                f"{type(self).__name__}.exclude_from_weight_decay must be called "
                "before the optimizer is built."
            )
        self._excluded_ids = {id(v) for v in var_list or ()}
        self._excluded_pattern = re.compile("|".join(var_names)) if var_names else None

    def _use_weight_decay(self, variable):
        if id(variable) in self._excluded_ids:
            return False
        return self._excluded_pattern is None or self._excluded_pattern.search(variable.name) is None

    # -- applying gradients ------------------------------------------------------------

    def update_step(self, gradient, variable, learning_rate):
        raise NotImplementedError(
            f"Optimizer {type(self).__name__} must implement update_step."
        )

    def update_steps(self, gradients, variables, learning_rate):
        """Runs ``update_step`` for every variable. Override it for work done once
        per step across variables (Nadam's product of momentum factors)."""
        for gradient, variable in zip(gradients, variables):
            self.update_step(gradient.astype(variable.dtype), variable, learning_rate.astype(variable.dtype))

    def scale_loss(self, loss):
        """The loss multiplied by the loss scale (the engine differentiates this)."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    def apply(self, gradients, variables=None):
        """Applies ``gradients`` to ``variables`` (default: those it was built for).

        The first call builds the optimizer for ``variables``. A ``None`` gradient
        leaves its variable alone (with a warning); no gradients at all is a no-op.
        """
        gradients = list(gradients)
        if not gradients:
            return
        gradients, variables = optimizer_features.pair_gradients(self, gradients, variables)
        if self.loss_scale_factor is not None:
            gradients = [g / self.loss_scale_factor for g in gradients]
        if self.gradient_accumulation_steps:
            optimizer_features.accumulate_and_update(self, gradients, variables)
        else:
            self._update(gradients, variables)
        if self.use_ema:
            optimizer_features.update_moving_averages(self)
        for variable in variables:
            if variable.constraint is not None:
                variable.assign(variable.constraint(variable.value))
        self._iterations.assign(self._iterations.value + 1)

    def _update(self, gradients, variables):
        gradients = clip_gradients(gradients, self.clipnorm, self.clipvalue, self.global_clipnorm)
        learning_rate = self._current_learning_rate()
        if self.weight_decay:
            # Decoupled weight decay, applied before the step as in Keras.
            for variable in variables:
                if self._use_weight_decay(variable):
                    decay = jnp.asarray(self.weight_decay, variable.dtype) * learning_rate.astype(variable.dtype)
                    variable.assign(variable.value - variable.value * decay)
        self.update_steps(gradients, variables, learning_rate)

    def finalize_variable_values(self, variables):
        """Writes the moving averages into ``variables`` (the weights it was built
        for) when ``use_ema`` is set; ``fit`` calls it when it ends."""
        if not self.use_ema or not self._averages:
            return
        variables = list(variables)
        if [id(v) for v in variables] != [id(v) for v in self._trainable_variables]:
            raise ValueError(
                f"{type(self).__name__}.finalize_variable_values expected the "
                f"{len(self._trainable_variables)} variables it was built for. "
                f"Received {len(variables)} other variables."
            )
        for variable, average in zip(variables, self._averages):
            variable.assign(average.value)

    def apply_gradients(self, grads_and_vars):
        """Keras's form: a sequence of ``(gradient, variable)`` pairs."""
        pairs = list(grads_and_vars)
        self.apply([g for g, _ in pairs], [v for _, v in pairs])
        return self._iterations

    def stateless_apply(self, optimizer_values, gradients, trainable_values):
        """``apply`` as a pure function: returns new weights and new optimizer state.

        Args:
            optimizer_values: the values of ``self.variables``, in order.
            gradients: one gradient per variable the optimizer was built for.
            trainable_values: the values of those variables, in order.

        Returns:
            ``(new_trainable_values, new_optimizer_values)``.
        """
        owner = type(self).__name__
        if not self.built:
            raise ValueError(
                f"{owner}.stateless_apply needs the optimizer built: call "
                "build(trainable_variables) first."
            )
        own = self.variables
        for what, values, expected in (
            ("optimizer_values", optimizer_values, own),
            ("trainable_values", trainable_values, self._trainable_variables),
        ):
            if len(values) != len(expected):
                per = "optimizer variable" if what == "optimizer_values" else "variable it was built for"
                raise ValueError(
                    f"{owner}.stateless_apply expected {len(expected)} {what} (one "
                    f"per {per}). Received: {len(values)}"
                )
        mapping = list(zip(own, optimizer_values)) + list(zip(self._trainable_variables, trainable_values))
        with state_scope.StatelessScope(mapping) as scope:
            self.apply(gradients, self._trainable_variables)
        return (
            [scope.get_current_value(v) for v in self._trainable_variables],
            [scope.get_current_value(v) for v in own],
        )

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"
