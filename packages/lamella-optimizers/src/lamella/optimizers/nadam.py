"""``Nadam``: Adam with Nesterov momentum."""

import jax.numpy as jnp
import numpy as np

from lamella.training.optimizer import Optimizer, check_number


class Nadam(Optimizer):
    """Nadam (Dozat, 2015): Adam whose momentum looks one step ahead.

    With ``t`` the step number and a momentum schedule
    ``mu_t = b1 * (1 - 0.5 * 0.96**t)``: ``m`` and ``v`` follow Adam's recurrences;
    ``m_hat = mu_{t+1} * m / (1 - prod_{i<=t+1} mu_i) + (1 - mu_t) * g / (1 - prod_{i<=t} mu_i)``,
    ``v_hat = v / (1 - b2**t)`` and ``w = w - lr * m_hat / (sqrt(v_hat) + epsilon)``.
    The running product of ``mu`` is one more optimizer variable.

    Args:
        learning_rate: a float or a schedule (default 0.001).
        beta_1: decay of the first moment.
        beta_2: decay of the second moment.
        epsilon: added to the denominator for stability.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps,
            name: see ``lamella.optimizers.Optimizer`` (in Keras's order, so
            positional arguments mean what they mean in Keras).
    """

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
        weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
        ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
        gradient_accumulation_steps=None, name=None, **kwargs,
    ):
        check_number("Nadam", "beta_1", beta_1, 0.0, 1.0)
        check_number("Nadam", "beta_2", beta_2, 0.0, 1.0)
        check_number("Nadam", "epsilon", epsilon)
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
        self.momentums, self.velocities = [], []
        for variable in variables:
            self.momentums.append(self.add_variable_from_reference(variable, "momentum"))
            self.velocities.append(self.add_variable_from_reference(variable, "velocity"))
        dtype = variables[0].dtype if variables else "float32"
        self.u_product = self._new_variable(np.ones((), dtype), "u_product")

    def update_steps(self, gradients, variables, learning_rate):
        # The product of momentum factors advances once per step, before the
        # variables are updated with it.
        dtype = self.u_product.dtype
        step = (jnp.asarray(self.iterations) + 1).astype(dtype)
        factor = self.beta_1 * (1.0 - 0.5 * jnp.power(jnp.asarray(0.96, dtype), step))
        self.assign(self.u_product, self.u_product.value * factor)
        super().update_steps(gradients, variables, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        dtype = variable.dtype
        step = (jnp.asarray(self.iterations) + 1).astype(dtype)
        decay = jnp.asarray(0.96, dtype)
        beta_1 = jnp.asarray(self.beta_1, dtype)
        beta_2 = jnp.asarray(self.beta_2, dtype)
        u_t = beta_1 * (1.0 - 0.5 * jnp.power(decay, step))
        u_next = beta_1 * (1.0 - 0.5 * jnp.power(decay, step + 1))
        u_product = self.u_product.value.astype(dtype)
        u_product_next = u_product * u_next
        m, v = self.momentums[index], self.velocities[index]
        self.assign_add(m, (gradient - m.value) * (1 - beta_1))
        self.assign_add(v, (jnp.square(gradient) - v.value) * (1 - beta_2))
        m_hat = u_next * m.value / (1 - u_product_next) + (1 - u_t) * gradient / (1 - u_product)
        v_hat = v.value / (1 - jnp.power(beta_2, step))
        self.assign_sub(variable, m_hat * learning_rate / (jnp.sqrt(v_hat) + self.epsilon))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
