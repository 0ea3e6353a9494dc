"""``Adagrad``: steps scaled by the accumulated squared gradients."""

import jax.numpy as jnp

from lamella.training.optimizer import Optimizer, check_number


class Adagrad(Optimizer):
    """Adagrad: ``a = a + g**2``, ``w = w - lr * g / sqrt(a + epsilon)``. Weights
    that often see large gradients get smaller steps.

    Args:
        learning_rate: a float or a schedule (default 0.001).
        initial_accumulator_value: the starting value of ``a`` (positive).
        epsilon: added inside the square root for stability.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps,
            name: see ``lamella.optimizers.Optimizer`` (in Keras's order, so
            positional arguments mean what they mean in Keras).
    """

    def __init__(
        self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
        weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
        ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
        gradient_accumulation_steps=None, name=None, **kwargs,
    ):
        check_number("Adagrad", "initial_accumulator_value", initial_accumulator_value)
        check_number("Adagrad", "epsilon", epsilon)
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, variables):
        from lamella.initializers import Constant

        if self.built:
            return
        super().build(variables)
        self.accumulators = [
            self.add_variable_from_reference(
                v, "accumulator", initializer=Constant(self.initial_accumulator_value)
            )
            for v in variables
        ]

    def update_step(self, gradient, variable, learning_rate):
        accumulator = self.accumulators[self._get_variable_index(variable)]
        self.assign_add(accumulator, jnp.square(gradient))
        self.assign_sub(variable, learning_rate * gradient / jnp.sqrt(accumulator.value + self.epsilon))

    def get_config(self):
        config = super().get_config()
        config.update(
            {"initial_accumulator_value": self.initial_accumulator_value, "epsilon": self.epsilon}
        )
        return config
