"""``Adadelta``: steps sized by running averages of squared gradients and steps."""

import jax.numpy as jnp

from lamella.training.optimizer import Optimizer, check_number


class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012): ``a = rho * a + (1 - rho) * g**2``,
    ``d = -sqrt(s + epsilon) / sqrt(a + epsilon) * g``,
    ``s = rho * s + (1 - rho) * d**2`` and ``w = w + lr * d``. The ratio of the two
    running averages gives each weight its own step size, so ``learning_rate`` only
    scales it (1.0 is the paper's method).

    Args:
        learning_rate: a float or a schedule (default 0.001, as in Keras).
        rho: the decay of both running averages.
        epsilon: added inside the square roots.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps,
            name: see ``lamella.optimizers.Optimizer`` (in Keras's order, so
            positional arguments mean what they mean in Keras).
    """

    def __init__(
        self, learning_rate=0.001, rho=0.95, epsilon=1e-7,
        weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
        ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
        gradient_accumulation_steps=None, name=None, **kwargs,
    ):
        check_number("Adadelta", "rho", rho, 0.0, 1.0)
        check_number("Adadelta", "epsilon", epsilon)
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
        self.rho = rho
        self.epsilon = epsilon

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.accumulated_grads, self.accumulated_deltas = [], []
        for variable in variables:
            self.accumulated_grads.append(self.add_variable_from_reference(variable, "accumulated_grad"))
            self.accumulated_deltas.append(self.add_variable_from_reference(variable, "accumulated_delta_var"))

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        rho = self.rho
        grads, deltas = self.accumulated_grads[index], self.accumulated_deltas[index]
        self.assign(grads, rho * grads.value + (1 - rho) * jnp.square(gradient))
        delta = -jnp.sqrt(deltas.value + self.epsilon) * gradient / jnp.sqrt(grads.value + self.epsilon)
        self.assign(deltas, rho * deltas.value + (1 - rho) * jnp.square(delta))
        self.assign_add(variable, learning_rate * delta)

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
