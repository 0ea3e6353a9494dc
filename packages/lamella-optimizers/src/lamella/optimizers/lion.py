"""``Lion``: sign updates of an interpolated momentum."""

import jax.numpy as jnp

from lamella.training.optimizer import Optimizer, check_number


class Lion(Optimizer):
    """Lion (Chen et al., 2023, https://arxiv.org/abs/2302.06675):
    ``w = w - lr * sign(b1 * m + (1 - b1) * g)``, then ``m = b2 * m + (1 - b2) * g``.
    Every step has the same size per weight, so it wants a smaller learning rate
    (3-10x) than Adam, and a larger weight decay.

    Args:
        learning_rate: a float or a schedule (default 0.001).
        beta_1: in ``(0, 1]``, the interpolation of the update direction.
        beta_2: in ``[0, 1]``, the decay of the momentum.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps,
            name: see ``lamella.optimizers.Optimizer`` (in Keras's order, so
            positional arguments mean what they mean in Keras).
    """

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.99,
        weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
        ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
        gradient_accumulation_steps=None, name=None, **kwargs,
    ):
        check_number("Lion", "beta_1", beta_1, 0.0, 1.0)
        if beta_1 == 0:
            raise ValueError(
                "Lion expected beta_1 in (0, 1] (0 makes it sign descent without "
                "momentum). Received: beta_1=0"
            )
        check_number("Lion", "beta_2", beta_2, 0.0, 1.0)
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = [self.add_variable_from_reference(v, "momentum") for v in variables]

    def update_step(self, gradient, variable, learning_rate):
        m = self.momentums[self._get_variable_index(variable)]
        beta_1 = jnp.asarray(self.beta_1, variable.dtype)
        beta_2 = jnp.asarray(self.beta_2, variable.dtype)
        self.assign_sub(variable, learning_rate * jnp.sign(m.value * beta_1 + gradient * (1.0 - beta_1)))
        self.assign(m, m.value * beta_2 + gradient * (1.0 - beta_2))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2})
        return config
