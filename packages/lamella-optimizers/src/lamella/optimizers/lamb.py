"""``Lamb``: Adam steps rescaled per layer by the trust ratio."""

import jax.numpy as jnp

from lamella.training.optimizer import Optimizer, check_number


class Lamb(Optimizer):
    """LAMB (You et al., 2019, https://arxiv.org/abs/1904.00962), for large batches.

    The Adam direction ``r = m_hat / (sqrt(v_hat) + epsilon)`` (bias-corrected
    moments) is rescaled for each weight tensor by the trust ratio
    ``||w|| / ||r||`` (1 when either norm is 0): ``w = w - lr * ratio * r``.

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
        check_number("Lamb", "beta_1", beta_1, 0.0, 1.0)
        check_number("Lamb", "beta_2", beta_2, 0.0, 1.0)
        check_number("Lamb", "epsilon", epsilon)
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

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        dtype = variable.dtype
        step = (jnp.asarray(self.iterations) + 1).astype(dtype)
        beta_1_power = jnp.power(jnp.asarray(self.beta_1, dtype), step)
        beta_2_power = jnp.power(jnp.asarray(self.beta_2, dtype), step)
        m, v = self.momentums[index], self.velocities[index]
        self.assign_add(m, (gradient - m.value) * (1 - self.beta_1))
        self.assign_add(v, (jnp.square(gradient) - v.value) * (1 - self.beta_2))
        update = (m.value / (1.0 - beta_1_power)) / (jnp.sqrt(v.value / (1.0 - beta_2_power)) + self.epsilon)
        w_norm = jnp.sqrt(jnp.sum(jnp.square(variable.value)))
        u_norm = jnp.sqrt(jnp.sum(jnp.square(update)))
        safe = jnp.where(u_norm > 0, u_norm, 1.0)
        ratio = jnp.where((w_norm > 0) & (u_norm > 0), w_norm / safe, 1.0)
        self.assign_sub(variable, ratio * learning_rate * update)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
