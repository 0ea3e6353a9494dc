"""The smallest trainable layer, optimizer and loss, on lamella-core alone."""

import jax.numpy as jnp

from lamella.engine.layer import Layer
from lamella.training.optimizer import Optimizer


class Linear(Layer):
    """``activation(inputs @ kernel + bias)``: a dense layer without the options.

    Args:
        units: the number of outputs.
        activation: an activation name or function (default: none).
        kernel_regularizer: a regularizer of the kernel.
        kernel_initializer: the kernel's initializer.

    Input shape:
        ``(batch_size, ..., input_dim)``.

    Output shape:
        ``(batch_size, ..., units)``.
    """

    def __init__(self, units, activation=None, kernel_regularizer=None,
                 kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        if not isinstance(units, int) or units <= 0:
            raise ValueError(f"Linear expected a positive integer for units. Received: units={units!r}")
        self.units = units
        self.activation = activation
        self.kernel_regularizer = kernel_regularizer
        self.kernel_initializer = kernel_initializer

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
        )
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, inputs):
        from lamella import activations

        return activations.get(self.activation)(inputs @ self.kernel.value + self.bias.value)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "activation": self.activation})
        return config


class PlainSGD(Optimizer):
    """``w -= learning_rate * g``: gradient descent without momentum.

    Args:
        learning_rate: the step size.
        **kwargs: the ``Optimizer`` base arguments (``clipnorm``, ``clipvalue``, ...).
    """

    def __init__(self, learning_rate=0.1, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)

    def update_step(self, gradient, variable, learning_rate):
        self.assign_sub(variable, learning_rate * gradient)


def squared_error(y_true, y_pred):
    """The mean over the last axis of ``(y_true - y_pred) ** 2``, per sample."""
    return jnp.mean(jnp.square(y_true - y_pred), axis=-1)
