"""``Ftrl``: follow the regularized leader, with L1 and L2 regularization."""

import jax.numpy as jnp

from lamella.training.optimizer import Optimizer, check_number


class Ftrl(Optimizer):
    """FTRL-Proximal (McMahan et al., 2013), for wide sparse models.

    Per weight, with accumulator ``n`` and linear term ``z`` and ``p = -lr_power``:
    ``g' = g + 2 * l2_shrinkage * w``, ``n' = n + g**2``,
    ``z = z + g' - (n'**p - n**p) / lr * w``, then
    ``w = (clip(z, -l1, l1) - z) / (n'**p / lr + 2 * (l2 + beta / (2 * lr)))``:
    exactly 0 where ``|z| <= l1``.

    Args:
        learning_rate: a float or a schedule (default 0.001).
        learning_rate_power: ``<= 0``; how the rate shrinks with the accumulator
            (-0.5: with its square root).
        initial_accumulator_value: the starting value of ``n`` (``>= 0``).
        l1_regularization_strength: ``>= 0``.
        l2_regularization_strength: ``>= 0``.
        l2_shrinkage_regularization_strength: ``>= 0``, an L2 penalty on the
            weights added to the gradient (a magnitude penalty, not a stabilizer).
        beta: ``>= 0``, as in the paper (0 here matches Keras's default).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps,
            name: see ``lamella.optimizers.Optimizer`` (in Keras's order, so
            positional arguments mean what they mean in Keras).
    """

    def __init__(
        self, learning_rate=0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1,
        l1_regularization_strength=0.0, l2_regularization_strength=0.0,
        l2_shrinkage_regularization_strength=0.0, beta=0.0,
        weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
        ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
        gradient_accumulation_steps=None, name=None, **kwargs,
    ):
        if not isinstance(learning_rate_power, int | float) or learning_rate_power > 0:
            raise ValueError(
                "Ftrl expected learning_rate_power to be a number <= 0. "
                f"Received: learning_rate_power={learning_rate_power!r}"
            )
        for arg, value in (
            ("initial_accumulator_value", initial_accumulator_value),
            ("l1_regularization_strength", l1_regularization_strength),
            ("l2_regularization_strength", l2_regularization_strength),
            ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength),
            ("beta", beta),
        ):
            check_number("Ftrl", arg, value)
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, variables):
        from lamella.initializers import Constant

        if self.built:
            return
        super().build(variables)
        self.accumulators, self.linears = [], []
        for variable in variables:
            self.accumulators.append(
                self.add_variable_from_reference(variable, "accumulator", initializer=Constant(self.initial_accumulator_value))
            )
            self.linears.append(self.add_variable_from_reference(variable, "linear"))

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        accumulator, linear = self.accumulators[index], self.linears[index]
        power = -self.learning_rate_power
        l2 = self.l2_regularization_strength + self.beta / (2.0 * learning_rate)
        shrunk = gradient + 2 * self.l2_shrinkage_regularization_strength * variable.value
        old = accumulator.value
        new = old + jnp.square(gradient)
        self.assign_add(linear, shrunk - (jnp.power(new, power) - jnp.power(old, power)) / learning_rate * variable.value)
        quadratic = jnp.power(new, power) / learning_rate + 2 * l2
        l1 = self.l1_regularization_strength
        self.assign(variable, (jnp.clip(linear.value, -l1, l1) - linear.value) / quadratic)
        self.assign(accumulator, new)

    def get_config(self):
        config = super().get_config()
        config.update({
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        })
        return config
