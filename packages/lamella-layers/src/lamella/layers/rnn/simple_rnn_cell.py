"""``SimpleRNNCell``: one step of a fully connected recurrent network."""

import jax.numpy as jnp

from lamella.layers.rnn.dense_cell import DenseCell


class SimpleRNNCell(DenseCell):
    """``h_t = activation(x_t · kernel + h_{t-1} · recurrent_kernel + bias)``.

    The cell processes one timestep; wrap it in ``RNN`` to process sequences (or
    use ``SimpleRNN``). Its output is its state ``h_t``.

    Args:
        units: the size of the state, a positive integer.
        activation: the activation (default ``'tanh'``).
        use_bias: whether to add a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: the weights'
            initializers (defaults ``'glorot_uniform'``, ``'orthogonal'``, ``'zeros'``).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout: fraction of the input units dropped in training, in ``[0, 1)``.
        recurrent_dropout: fraction of the state's units dropped in training.
        seed: seed of the dropout masks.
        **kwargs: base layer arguments.

    Input shape:
        ``inputs`` ``(batch_size, input_dim)`` and ``states`` ``[(batch_size, units)]``.

    Output shape:
        ``(output, [new_state])``, both ``(batch_size, units)``.

    Example:

    >>> cell = SimpleRNNCell(4)
    >>> output, states = cell(np.ones((2, 3)), [np.zeros((2, 4))])
    >>> output.shape
    (2, 4)
    """

    gates = 1

    def call(self, inputs, states, training=False):
        previous = states[0] if isinstance(states, list | tuple) else states
        h = jnp.matmul(self._drop_inputs(inputs, training), self.kernel.value)
        if self.bias is not None:
            h = h + self.bias.value
        h = h + jnp.matmul(self._drop_state(previous, training), self.recurrent_kernel.value)
        output = self.activation(h)
        return output, [output] if isinstance(states, list | tuple) else output
