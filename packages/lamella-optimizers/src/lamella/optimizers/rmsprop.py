"""``RMSprop``: steps scaled by a running root mean square of gradients."""

import jax.numpy as jnp

from lamella.training.optimizer import Optimizer, check_number


class RMSprop(Optimizer):
    """RMSprop (Hinton): ``s = rho * s + (1 - rho) * g**2``,
    ``w = w - lr * g / sqrt(s + epsilon)``; ``centered`` subtracts the squared running
    mean of gradients from ``s``; ``momentum`` accumulates the steps.

    Args:
        learning_rate: a float or a schedule (default 0.001).
        rho: decay of the running average.
        momentum: momentum of the steps (0 disables it).
        epsilon: added inside the square root for stability.
        centered: normalize by the estimated variance instead of the second moment.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps,
            name: see ``lamella.optimizers.Optimizer`` (in Keras's order, so
            positional arguments mean what they mean in Keras).
    """

    def __init__(
        self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
        weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
        ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
        gradient_accumulation_steps=None, name="rmsprop", **kwargs,
    ):
        check_number("RMSprop", "rho", rho, 0.0, 1.0)
        check_number("RMSprop", "momentum", momentum)
        check_number("RMSprop", "epsilon", epsilon)
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.velocities = [self.add_variable_from_reference(v, "velocity") for v in variables]
        self.momentums = (
            [self.add_variable_from_reference(v, "momentum") for v in variables]
            if self.momentum > 0
            else []
        )
        self.average_gradients = (
            [self.add_variable_from_reference(v, "average_gradient") for v in variables]
            if self.centered
            else []
        )

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        rho = self.rho
        velocity = self.velocities[index]
        self.assign(velocity, rho * velocity.value + (1 - rho) * jnp.square(gradient))
        denominator = velocity.value
        if self.centered:
            average = self.average_gradients[index]
            self.assign(average, rho * average.value + (1 - rho) * gradient)
            denominator = velocity.value - jnp.square(average.value)
        increment = learning_rate * gradient / jnp.sqrt(denominator + self.epsilon)
        if self.momentum > 0:
            momentum = self.momentums[index]
            self.assign(momentum, self.momentum * momentum.value + increment)
            self.assign_sub(variable, momentum.value)
        else:
            self.assign_sub(variable, increment)

    def get_config(self):
        config = super().get_config()
        config.update(
            {"rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon, "centered": self.centered}
        )
        return config
