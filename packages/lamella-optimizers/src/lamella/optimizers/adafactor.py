"""``Adafactor``: Adam-like steps with factored second moments."""

import jax.numpy as jnp
import numpy as np

from lamella.training.optimizer import Optimizer, check_number


def _rms(x):
    return jnp.sqrt(jnp.mean(jnp.square(x)))


class Adafactor(Optimizer):
    """Adafactor (Shazeer & Stern, 2018, https://arxiv.org/abs/1804.04235).

    For a weight of rank >= 2 the second moment of its last two axes is kept as a
    row vector ``r`` and a column vector ``c`` (memory ``n + m`` instead of
    ``n * m``), and ``v = r / mean(r) * c``; smaller weights keep a full ``v``.
    With ``t`` the step, ``b2_t = 1 - t**beta_2_decay`` decays both, over the squared
    gradient plus ``epsilon_1``. The step ``u = g / sqrt(v)`` is clipped to RMS
    ``clip_threshold`` and scaled by ``max(epsilon_2, rms(w)) * min(lr, 1/sqrt(t))``
    (and ``relative_step`` also caps ``lr`` itself by ``1/sqrt(t)``).

    Args:
        learning_rate: a float or a schedule (default 0.001).
        beta_2_decay: the exponent of the second-moment decay (negative).
        epsilon_1: added to the squared gradients.
        epsilon_2: the least weight RMS the step scales by.
        clip_threshold: the RMS a step is clipped to.
        relative_step: cap a constant learning rate by ``1 / sqrt(t)``.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps,
            name: see ``lamella.optimizers.Optimizer`` (in Keras's order, so
            positional arguments mean what they mean in Keras).
    """

    def __init__(
        self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3,
        clip_threshold=1.0, relative_step=True,
        weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
        ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
        gradient_accumulation_steps=None, name=None, **kwargs,
    ):
        if not isinstance(beta_2_decay, int | float) or beta_2_decay >= 0:
            raise ValueError(
                f"Adafactor expected a negative number for beta_2_decay. Received: beta_2_decay={beta_2_decay!r}"
            )
        check_number("Adafactor", "epsilon_1", epsilon_1)
        check_number("Adafactor", "epsilon_2", epsilon_2)
        check_number("Adafactor", "clip_threshold", clip_threshold)
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.rows, self.columns, self.velocities = [], [], []
        for variable in variables:
            name = variable.path.replace("/", "_")
            if len(variable.shape) < 2:
                # Unfactored: scalar placeholders keep the variables in Keras's order.
                self.rows.append(self._new_variable(np.zeros((), np.int32), f"{name}_row"))
                self.columns.append(self._new_variable(np.zeros((), np.int32), f"{name}_column"))
            else:
                self.rows.append(self.add_variable(variable.shape[:-1], dtype=variable.dtype, name=f"{name}_row"))
                self.columns.append(
                    self.add_variable(variable.shape[:-2] + variable.shape[-1:], dtype=variable.dtype, name=f"{name}_column")
                )
            self.velocities.append(self.add_variable_from_reference(variable, "velocity"))

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        dtype = variable.dtype
        step = (jnp.asarray(self.iterations) + 1).astype(dtype)
        if self._schedule is None and self.relative_step:
            learning_rate = jnp.minimum(learning_rate, 1 / jnp.sqrt(step))
        row, column, v = self.rows[index], self.columns[index], self.velocities[index]
        rho = jnp.minimum(learning_rate, 1 / jnp.sqrt(step))
        alpha = jnp.maximum(jnp.asarray(self.epsilon_2, dtype), _rms(variable.value)) * rho
        squared = jnp.square(gradient) + self.epsilon_1
        beta_2 = 1 - jnp.power(step, self.beta_2_decay)
        if len(variable.shape) >= 2:
            self.assign(row, beta_2 * row.value + (1 - beta_2) * jnp.mean(squared, axis=-1))
            self.assign(column, beta_2 * column.value + (1 - beta_2) * jnp.mean(squared, axis=-2))
            normalized_rows = row.value / jnp.mean(row.value, axis=-1, keepdims=True)
            self.assign(v, normalized_rows[..., None] * column.value[..., None, :])
        else:
            self.assign(v, beta_2 * v.value + (1 - beta_2) * squared)
        u = gradient / jnp.sqrt(v.value)
        u = u / jnp.maximum(jnp.asarray(1.0, dtype), _rms(u) / self.clip_threshold)
        self.assign_sub(variable, alpha * u)

    def get_config(self):
        config = super().get_config()
        config.update({
            "beta_2_decay": self.beta_2_decay, "epsilon_1": self.epsilon_1, "epsilon_2": self.epsilon_2,
            "clip_threshold": self.clip_threshold, "relative_step": self.relative_step,
        })
        return config
