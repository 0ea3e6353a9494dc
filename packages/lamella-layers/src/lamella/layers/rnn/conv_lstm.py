"""``ConvLSTM``: what ConvLSTM1D, ConvLSTM2D and ConvLSTM3D share."""

from lamella.layers.rnn.cell_layer import CellLayer
from lamella.layers.rnn.conv_lstm_cell import ConvLSTMCell


class ConvLSTM(CellLayer):
    """``RNN(ConvLSTMCell(rank, filters, kernel_size, ...))``: subclasses fix ``rank``."""

    cell_class = ConvLSTMCell
    rank = None

    def __init__(self, filters, kernel_size, **kwargs):
        self._init_with_cell((self.rank, filters, kernel_size), kwargs)

    def compute_output_shape(self, input_shape, initial_state_shape=None):
        shape = self._batch_major(input_shape)
        step = self.cell.compute_output_shape((shape[0], *shape[2:]))
        if self.return_sequences:
            output = (shape[1], shape[0], *step[1:]) if self.time_major else (shape[0], shape[1], *step[1:])
        else:
            output = step
        if self.return_state:
            return [output, step, step]
        return output

    def get_config(self):
        config = super().get_config()
        config.pop("rank", None)
        return config
