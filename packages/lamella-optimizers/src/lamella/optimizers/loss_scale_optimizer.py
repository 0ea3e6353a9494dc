"""``LossScaleOptimizer``: dynamic loss scaling for float16 training."""

import jax.numpy as jnp
import numpy as np

from lamella.training.optimizer import Optimizer, check_number

# The base-class options a Keras config of this wrapper lists with their inactive
# values; anything else belongs on the inner optimizer.
_INACTIVE = {
    "weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
    "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None,
    "loss_scale_factor": None, "gradient_accumulation_steps": None,
}


class LossScaleOptimizer(Optimizer):
    """Wraps an optimizer with a loss scale that adapts to the gradients.

    float16 gradients of small losses underflow to 0; the engine multiplies the
    loss by the scale before differentiating and this optimizer divides the
    gradients by it again. When every gradient is finite the inner optimizer
    steps, and after ``dynamic_growth_steps`` such steps in a row the scale
    doubles; a step with an infinite or NaN gradient is skipped (weights and
    inner state unchanged) and halves the scale. All of it runs on the device.

    ``compile`` wraps the optimizer in one automatically when the model's dtype
    policy is ``'mixed_float16'`` (``auto_scale_loss=True``).

    Args:
        inner_optimizer: the optimizer that updates the weights.
        initial_scale: the starting loss scale (positive).
        dynamic_growth_steps: finite steps before the scale doubles (>= 1).
        name: the wrapper's name.

    Example:
        >>> optimizer = LossScaleOptimizer(Adam(), initial_scale=2.0**15)
        >>> model.compile(optimizer=optimizer, loss="mse")
    """

    def __init__(self, inner_optimizer, initial_scale=2.0**15, dynamic_growth_steps=2000, name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer is always dynamic; for a fixed scale set "
                "loss_scale_factor on the inner optimizer. Received: dynamic=False"
            )
        for key, inactive in _INACTIVE.items():
            if key in kwargs and kwargs.pop(key) != inactive:
                raise ValueError(
                    f"LossScaleOptimizer does not take {key}: set it on the inner optimizer."
                )
        if not isinstance(inner_optimizer, Optimizer):
            raise ValueError(
                "LossScaleOptimizer expected an Optimizer for inner_optimizer. "
                f"Received: inner_optimizer={inner_optimizer!r}"
            )
        check_number("LossScaleOptimizer", "initial_scale", initial_scale, low=np.finfo(np.float32).tiny)
        if not isinstance(dynamic_growth_steps, int) or isinstance(dynamic_growth_steps, bool) or dynamic_growth_steps < 1:
            raise ValueError(
                "LossScaleOptimizer expected a positive integer for dynamic_growth_steps. "
                f"Received: dynamic_growth_steps={dynamic_growth_steps!r}"
            )
        super().__init__(learning_rate=0.0, name=name, **kwargs)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = float(initial_scale)
        self.dynamic_growth_steps = dynamic_growth_steps
        # One scale only: the inner optimizer's static one would divide twice.
        inner_optimizer.loss_scale_factor = None

    def build(self, variables):
        if self.built:
            return
        self.step_counter = self._new_variable(np.zeros((), np.int32), "step_counter")
        self.dynamic_scale = self._new_variable(np.asarray(self.initial_scale, np.float32), "dynamic_scale")
        self.inner_optimizer.build(variables)
        super().build(variables)

    @property
    def variables(self):
        """This wrapper's variables (iteration, learning rate, step counter, scale),
        then the inner optimizer's, as in Keras 3."""
        return list(self._variables) + self.inner_optimizer.variables

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.inner_optimizer.learning_rate = value

    def scale_loss(self, loss):
        scale = self.dynamic_scale.value if self.built else self.initial_scale
        return loss * jnp.asarray(scale, jnp.asarray(loss).dtype)

    def apply(self, gradients, variables=None):
        gradients = list(gradients)
        if not gradients:
            return
        if not self.built:
            if variables is None:
                raise ValueError(
                    "LossScaleOptimizer.apply received gradients without variables "
                    "before it was built: pass the variables, or call build first."
                )
            self.build(list(variables))
        present = [jnp.asarray(g) for g in gradients if g is not None]
        if not present:
            self.inner_optimizer.apply(gradients, variables)  # raises, naming the problem
        finite = jnp.all(jnp.stack([jnp.all(jnp.isfinite(g)) for g in present]))
        scale = self.dynamic_scale.value
        inner = self.inner_optimizer
        watched = inner._trainable_variables + inner.variables
        before = [v.value for v in watched]
        # Non-finite gradients become zeros for the (discarded) inner step, so no
        # NaN reaches a slot even transiently.
        unscaled = [
            None if g is None else jnp.where(finite, jnp.asarray(g) / scale.astype(jnp.asarray(g).dtype), 0)
            for g in gradients
        ]
        inner.apply(unscaled, variables)
        for variable, value in zip(watched, before):
            variable.assign(jnp.where(finite, variable.value, value))
        grow = finite & (self.step_counter.value == self.dynamic_growth_steps - 1)
        self.step_counter.assign(jnp.where(finite & ~grow, self.step_counter.value + 1, 0))
        self.dynamic_scale.assign(jnp.where(finite, jnp.where(grow, scale * 2.0, scale), scale * 0.5))

    def finalize_variable_values(self, variables):
        self.inner_optimizer.finalize_variable_values(variables)

    def get_config(self):
        from lamella.saving import serialization

        return {
            "name": self.name,
            "inner_optimizer": serialization.serialize_object(self.inner_optimizer, kind="optimizers"),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamella.saving import serialization

        config = dict(config)
        inner = serialization.deserialize_object(config.pop("inner_optimizer"), kind="optimizers", custom_objects=custom_objects)
        return cls(inner, **config)
