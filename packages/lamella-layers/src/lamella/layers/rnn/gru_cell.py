"""``GRUCell``: one step of a gated recurrent unit network."""

import jax.numpy as jnp

from lamella import activations
from lamella.layers.rnn.arguments import check_flag
from lamella.layers.rnn.dense_cell import DenseCell


class GRUCell(DenseCell):
    """One GRU step (Cho et al., 2014), gates in Keras's order update, reset, new::

        z = σ(x_t · W_z + h_{t-1} · U_z + b_z)
        r = σ(x_t · W_r + h_{t-1} · U_r + b_r)
        n = tanh(x_t · W_n + r * (h_{t-1} · U_n + b'_n))     reset_after=True
        n = tanh(x_t · W_n + (r * h_{t-1}) · U_n + b_n)      reset_after=False
        h_t = z * h_{t-1} + (1 - z) * n

    With ``reset_after=True`` (the default, and cuDNN's form) the input and the
    recurrent projections have their own biases: ``bias`` is ``(2, 3 * units)``,
    row 0 for the input, row 1 for the recurrent part. Otherwise it is
    ``(3 * units,)``, added to the input projection.

    Args:
        units: the size of the state, a positive integer.
        activation: the activation (default ``'tanh'``).
        recurrent_activation: the gates' activation (default ``'sigmoid'``).
        use_bias: whether to add biases.
        kernel_initializer, recurrent_initializer, bias_initializer: the weights'
            initializers (defaults ``'glorot_uniform'``, ``'orthogonal'``, ``'zeros'``).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout: fraction of the input units dropped in training, in ``[0, 1)``.
        recurrent_dropout: fraction of the state's units dropped in training.
        reset_after: apply the reset gate after the recurrent matrix product.
        seed: seed of the dropout masks.
        implementation: accepted for Keras compatibility (``1`` or ``2``).
        **kwargs: base layer arguments.

    Input shape:
        ``inputs`` ``(batch_size, input_dim)`` and ``states`` ``[(batch_size, units)]``.

    Output shape:
        ``(h_t, [h_t])``.

    Example:

    >>> cell = GRUCell(4)
    >>> h, states = cell(np.ones((2, 3)), [np.zeros((2, 4))])
    >>> h.shape
    (2, 4)
    """

    gates = 3

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        reset_after=True,
        implementation=2,
        **kwargs,
    ):
        super().__init__(units, activation=activation, use_bias=use_bias, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = check_flag("GRUCell", "reset_after", reset_after)
        if implementation not in (1, 2):
            raise ValueError(
                f"GRUCell expected implementation 1 or 2. Received: implementation={implementation!r}"
            )
        self.implementation = implementation

    def _bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def call(self, inputs, states, training=False):
        previous = states[0] if isinstance(states, list | tuple) else states
        units = self.units
        x = jnp.matmul(self._drop_inputs(inputs, training), self.kernel.value)
        h_in = self._drop_state(previous, training)
        kernel = self.recurrent_kernel.value
        bias = None if self.bias is None else self.bias.value
        if self.reset_after:
            if bias is not None:
                x = x + bias[0]
            recurrent = jnp.matmul(h_in, kernel)
            if bias is not None:
                recurrent = recurrent + bias[1]
        else:
            if bias is not None:
                x = x + bias
            recurrent = jnp.matmul(h_in, kernel[:, : 2 * units])
        gate = self.recurrent_activation
        z = gate(x[:, :units] + recurrent[:, :units])
        r = gate(x[:, units : 2 * units] + recurrent[:, units : 2 * units])
        if self.reset_after:
            candidate = r * recurrent[:, 2 * units :]
        else:
            candidate = jnp.matmul(r * h_in, kernel[:, 2 * units :])
        n = self.activation(x[:, 2 * units :] + candidate)
        h = z * previous + (1 - z) * n
        return h, [h] if isinstance(states, list | tuple) else h

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "reset_after": self.reset_after,
                "implementation": self.implementation,
            }
        )
        return config
