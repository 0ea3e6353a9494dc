"""``GRUCell``: one step of a gated recurrent unit network."""

import jax.numpy as jnp

from lamella import activations
from lamella.layers.rnn.arguments import check_flag
from lamella.layers.rnn.dense_cell import DenseCell
from lamella.layers.rnn.dropout_rnn_cell import gate_product


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
        implementation: ``1`` or ``2``, as in Keras; both compute the same
            function. As in Keras 3, ``1`` (implied by ``recurrent_dropout``) draws
            dropout masks per gate; ``2`` shares one mask between the gates.
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

    @property
    def dropout_gates(self):
        # Keras 3 runs implementation 1, which drops per gate, whenever
        # recurrent_dropout is set; implementation 2 shares one input mask.
        if self.recurrent_dropout or self.implementation == 1:
            return self.gates
        return None

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
        x = gate_product(self._drop_inputs(inputs, training), self.kernel.value, jnp.matmul)
        h_in = self._drop_state(previous, training)
        # With per-gate masks, h_in holds the state dropped for z, r and the candidate.
        h_candidate = h_in[2] if isinstance(h_in, list) else h_in
        kernel = self.recurrent_kernel.value
        bias = None if self.bias is None else self.bias.value
        if self.reset_after:
            if bias is not None:
                x = x + bias[0]
            recurrent = gate_product(h_in, kernel, jnp.matmul)
            if bias is not None:
                recurrent = recurrent + bias[1]
        else:
            if bias is not None:
                x = x + bias
            h_gates = h_in[:2] if isinstance(h_in, list) else h_in
            recurrent = gate_product(h_gates, kernel[:, : 2 * units], jnp.matmul)
        gate = self.recurrent_activation
        z = gate(x[:, :units] + recurrent[:, :units])
        r = gate(x[:, units : 2 * units] + recurrent[:, units : 2 * units])
        if self.reset_after:
            candidate = r * recurrent[:, 2 * units :]
        else:
            candidate = jnp.matmul(r * h_candidate, kernel[:, 2 * units :])
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
