"""``Adamax``: Adam with the infinity norm of past gradients."""

import jax.numpy as jnp

from lamella.training.optimizer import Optimizer, check_number


class Adamax(Optimizer):
    """Adamax (Kingma & Ba, 2014, section 7): Adam's second moment replaced by an
    exponentially weighted infinity norm.

    With ``t`` the step number: ``m = b1 * m + (1 - b1) * g``,
    ``u = max(b2 * u, |g|)`` and ``w = w - lr * m / ((1 - b1**t) * (u + epsilon))``.

    Args:
        learning_rate: a float or a schedule (default 0.001).
        beta_1: decay of the first moment.
        beta_2: decay of the infinity norm.
        epsilon: added to the norm for stability.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps,
            name: see ``lamella.optimizers.Optimizer`` (in Keras's order, so
            positional arguments mean what they mean in Keras).

    Example:
        >>> model.compile(optimizer=Adamax(learning_rate=0.002), loss="mse")
    """

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
        weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
        ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
        gradient_accumulation_steps=None, name=None, **kwargs,
    ):
        check_number("Adamax", "beta_1", beta_1, 0.0, 1.0)
        check_number("Adamax", "beta_2", beta_2, 0.0, 1.0)
        check_number("Adamax", "epsilon", epsilon)
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums, self.norms = [], []
        for variable in variables:  # Keras's order: momentum, norm, per variable
            self.momentums.append(self.add_variable_from_reference(variable, "momentum"))
            self.norms.append(self.add_variable_from_reference(variable, "norm"))

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        dtype = variable.dtype
        step = (jnp.asarray(self.iterations) + 1).astype(dtype)
        beta_1_power = jnp.power(jnp.asarray(self.beta_1, dtype), step)
        m, u = self.momentums[index], self.norms[index]
        self.assign_add(m, (gradient - m.value) * (1 - self.beta_1))
        self.assign(u, jnp.maximum(self.beta_2 * u.value, jnp.abs(gradient)))
        self.assign_sub(variable, learning_rate * m.value / ((1 - beta_1_power) * (u.value + self.epsilon)))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
