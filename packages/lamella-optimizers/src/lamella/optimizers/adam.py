"""``Adam``: adaptive moment estimation."""

import jax.numpy as jnp

from lamella.training.optimizer import Optimizer, check_number


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2014): per-weight steps from running moments of the gradient.

    With ``t`` the step number: ``m = b1 * m + (1 - b1) * g``,
    ``v = b2 * v + (1 - b2) * g**2``, and
    ``w = w - lr * sqrt(1 - b2**t) / (1 - b1**t) * m / (sqrt(v) + epsilon)``.

    Args:
        learning_rate: a float or a schedule (default 0.001).
        beta_1: decay of the first moment.
        beta_2: decay of the second moment.
        epsilon: added to the denominator for stability (the "epsilon hat" of the
            paper, as in Keras).
        amsgrad: use the maximum of past second moments (AMSGrad).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps,
            name: see ``lamella.optimizers.Optimizer`` (in Keras's order, so
            positional arguments mean what they mean in Keras).
    """

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False,
        weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
        ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
        gradient_accumulation_steps=None, name=None, **kwargs,
    ):
        check_number("Adam", "beta_1", beta_1, 0.0, 1.0)
        check_number("Adam", "beta_2", beta_2, 0.0, 1.0)
        check_number("Adam", "epsilon", epsilon)
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        # Keras's order of slots (each variable's momentum then velocity), so that
        # optimizer.variables line up with a Keras optimizer's, index by index.
        self.momentums, self.velocities = [], []
        for variable in variables:
            self.momentums.append(self.add_variable_from_reference(variable, "momentum"))
            self.velocities.append(self.add_variable_from_reference(variable, "velocity"))
        self.velocity_hats = (
            [self.add_variable_from_reference(v, "velocity_hat") for v in variables]
            if self.amsgrad
            else []
        )

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        dtype = variable.dtype
        step = (jnp.asarray(self.iterations) + 1).astype(dtype)
        beta_1_power = jnp.power(jnp.asarray(self.beta_1, dtype), step)
        beta_2_power = jnp.power(jnp.asarray(self.beta_2, dtype), step)
        # The bias corrections of both moments folded into the step size.
        alpha = learning_rate * jnp.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        m = self.momentums[index]
        v = self.velocities[index]
        self.assign_add(m, (gradient - m.value) * (1 - self.beta_1))
        self.assign_add(v, (jnp.square(gradient) - v.value) * (1 - self.beta_2))
        second = v.value
        if self.amsgrad:
            v_hat = self.velocity_hats[index]
            self.assign(v_hat, jnp.maximum(v_hat.value, v.value))
            second = v_hat.value
        self.assign_sub(variable, m.value * alpha / (jnp.sqrt(second) + self.epsilon))

    def get_config(self):
        config = super().get_config()
        config.update(
            {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon, "amsgrad": self.amsgrad}
        )
        return config
