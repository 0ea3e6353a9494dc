"""``SimpleRNN``: the fully connected recurrent layer."""

from lamella.layers.rnn.cell_layer import CellLayer
from lamella.layers.rnn.simple_rnn_cell import SimpleRNNCell


class SimpleRNN(CellLayer):
    """A fully connected recurrent layer: ``h_t = activation(x_t · kernel +
    h_{t-1} · recurrent_kernel + bias)``, the output fed back as the state.

    ``RNN(SimpleRNNCell(units, ...))`` with the cell's and the recurrent layer's
    arguments in one list; see ``RNN`` for masking, statefulness and the loop.

    Args:
        units: the size of the state, a positive integer.
        activation: default ``'tanh'``.
        use_bias: whether to add a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: defaults
            ``'glorot_uniform'``, ``'orthogonal'``, ``'zeros'``.
        kernel_regularizer, recurrent_regularizer, bias_regularizer,
            activity_regularizer: regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout: fraction of the inputs dropped in training.
        recurrent_dropout: fraction of the recurrent state dropped in training.
        seed: seed of the dropout masks.
        return_sequences, return_state, go_backwards, stateful, unroll,
            time_major: as for ``RNN``.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch_size, timesteps, features)``.

    Output shape:
        ``(batch_size, units)``; ``(batch_size, timesteps, units)`` with
        ``return_sequences``; with ``return_state``, ``[output, h]``.

    Example:

    >>> SimpleRNN(4)(np.ones((2, 5, 3))).shape
    (2, 4)
    """

    cell_class = SimpleRNNCell
