"""``LSTM``: the long short-term memory layer."""

from lamella.layers.rnn.cell_layer import CellLayer
from lamella.layers.rnn.lstm_cell import LSTMCell


class LSTM(CellLayer):
    """Long short-term memory (Hochreiter and Schmidhuber, 1997) over a sequence.

    ``RNN(LSTMCell(units, ...))`` with the cell's and the recurrent layer's
    arguments in one list; see ``LSTMCell`` for the step's formula and ``RNN`` for
    masking, statefulness and the loop. Weights are those of Keras's LSTM, in the
    same order: ``kernel (input_dim, 4 * units)``, ``recurrent_kernel (units, 4 *
    units)``, ``bias (4 * units,)``, gates input, forget, cell, output.

    Args:
        units: the size of the states, a positive integer.
        activation: default ``'tanh'``.
        recurrent_activation: the gates' activation, default ``'sigmoid'``.
        use_bias: whether to add a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: defaults
            ``'glorot_uniform'``, ``'orthogonal'``, ``'zeros'``.
        unit_forget_bias: initialize the forget gate's bias to 1.
        kernel_regularizer, recurrent_regularizer, bias_regularizer,
            activity_regularizer: regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout: fraction of the inputs dropped in training (the same units at
            every timestep).
        recurrent_dropout: fraction of the recurrent state dropped in training.
        seed: seed of the dropout masks.
        return_sequences: return every timestep's output.
        return_state: also return the final states ``h`` and ``c``.
        go_backwards: process the sequence backwards (output in reversed order).
        stateful: carry the states across batches (needs a fixed batch size).
        unroll: unroll the time loop.
        time_major: inputs and sequence outputs are ``(timesteps, batch, ...)``.
        **kwargs: base layer arguments (``name``, ``input_shape``, ...).

    Input shape:
        ``(batch_size, timesteps, features)``.

    Output shape:
        ``(batch_size, units)``; ``(batch_size, timesteps, units)`` with
        ``return_sequences``; with ``return_state``, ``[output, h, c]``.

    Example:

    >>> LSTM(4)(np.ones((2, 5, 3))).shape
    (2, 4)
    >>> output, h, c = LSTM(4, return_state=True)(np.ones((2, 5, 3)))
    """

    cell_class = LSTMCell
