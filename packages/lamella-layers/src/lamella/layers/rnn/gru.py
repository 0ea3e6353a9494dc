"""``GRU``: the gated recurrent unit layer."""

from lamella.layers.rnn.cell_layer import CellLayer
from lamella.layers.rnn.gru_cell import GRUCell


class GRU(CellLayer):
    """Gated recurrent units (Cho et al., 2014) over a sequence.

    ``RNN(GRUCell(units, ...))`` with the cell's and the recurrent layer's
    arguments in one list; see ``GRUCell`` for the step's formula (both
    ``reset_after`` forms) and ``RNN`` for masking, statefulness and the loop.
    Weights are those of Keras's GRU: ``kernel (input_dim, 3 * units)``,
    ``recurrent_kernel (units, 3 * units)``, ``bias`` ``(2, 3 * units)`` with
    ``reset_after=True`` (the default) or ``(3 * units,)``; gates update, reset, new.

    Args:
        units: the size of the state, a positive integer.
        activation: default ``'tanh'``.
        recurrent_activation: the gates' activation, default ``'sigmoid'``.
        use_bias: whether to add biases.
        kernel_initializer, recurrent_initializer, bias_initializer: defaults
            ``'glorot_uniform'``, ``'orthogonal'``, ``'zeros'``.
        kernel_regularizer, recurrent_regularizer, bias_regularizer,
            activity_regularizer: regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout: fraction of the inputs dropped in training.
        recurrent_dropout: fraction of the recurrent state dropped in training.
        reset_after: apply the reset gate after the recurrent matrix product.
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

    >>> GRU(4, return_sequences=True)(np.ones((2, 5, 3))).shape
    (2, 5, 4)
    """

    cell_class = GRUCell
