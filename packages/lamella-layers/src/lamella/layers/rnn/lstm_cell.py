"""``LSTMCell``: one step of a long short-term memory network."""

import jax.numpy as jnp
import numpy as np

from lamella import activations
from lamella.layers.rnn.arguments import check_flag
from lamella.layers.rnn.dense_cell import DenseCell
from lamella.layers.rnn.dropout_rnn_cell import gate_product


class LSTMCell(DenseCell):
    """One LSTM step (Hochreiter and Schmidhuber, 1997), gates in Keras's order
    input, forget, cell, output::

        z = x_t · kernel + h_{t-1} · recurrent_kernel + bias
        i, f, g, o = split(z, 4)
        c_t = σ(f) * c_{t-1} + σ(i) * tanh(g)
        h_t = σ(o) * tanh(c_t)

    with σ the ``recurrent_activation`` and tanh the ``activation``. The states are
    ``[h, c]``; the output is ``h``.

    Args:
        units: the size of the states, a positive integer.
        activation: the activation (default ``'tanh'``).
        recurrent_activation: the gates' activation (default ``'sigmoid'``).
        use_bias: whether to add a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: the weights'
            initializers (defaults ``'glorot_uniform'``, ``'orthogonal'``, ``'zeros'``).
        unit_forget_bias: add 1 to the forget gate's bias at initialization (as
            Jozefowicz et al. recommend); the bias initializer is then ``'zeros'``
            elsewhere.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout: fraction of the input units dropped in training, in ``[0, 1)``.
        recurrent_dropout: fraction of ``h``'s units dropped in training.
        seed: seed of the dropout masks.
        implementation: ``1`` or ``2``, as in Keras; both compute the same
            function. As in Keras 3, ``1`` (implied by ``recurrent_dropout``) draws
            dropout masks per gate; ``2`` shares one mask between the gates.
        **kwargs: base layer arguments.

    Input shape:
        ``inputs`` ``(batch_size, input_dim)`` and ``states`` ``[h, c]``, each
        ``(batch_size, units)``.

    Output shape:
        ``(h_t, [h_t, c_t])``.

    Example:

    >>> cell = LSTMCell(4)
    >>> h, (h_again, c) = cell(np.ones((2, 3)), [np.zeros((2, 4)), np.zeros((2, 4))])
    >>> h.shape, c.shape
    ((2, 4), (2, 4))
    """

    gates = 4

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
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        implementation=2,
        **kwargs,
    ):
        super().__init__(
            units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, **kwargs,
        )
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = check_flag("LSTMCell", "unit_forget_bias", unit_forget_bias)
        if implementation not in (1, 2):
            raise ValueError(
                f"LSTMCell expected implementation 1 or 2. Received: implementation={implementation!r}"
            )
        self.implementation = implementation
        self.state_size = [self.units, self.units]

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        base, units = self.bias_initializer, self.units

        def forget_bias_one(shape, dtype=None):
            return np.concatenate(
                [
                    np.asarray(base((units,), dtype=dtype)),
                    np.ones((units,), dtype=dtype or "float32"),
                    np.asarray(base((2 * units,), dtype=dtype)),
                ]
            )

        return forget_bias_one

    def call(self, inputs, states, training=False):
        h_previous, c_previous = states
        z = gate_product(self._drop_inputs(inputs, training), self.kernel.value, jnp.matmul)
        z = z + gate_product(self._drop_state(h_previous, training), self.recurrent_kernel.value,
                             jnp.matmul)
        if self.bias is not None:
            z = z + self.bias.value
        i, f, g, o = jnp.split(z, 4, axis=-1)
        gate = self.recurrent_activation
        c = gate(f) * c_previous + gate(i) * self.activation(g)
        h = gate(o) * self.activation(c)
        return h, [h, c]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias,
                "implementation": self.implementation,
            }
        )
        return config
