"""``ConvLSTM2D``: a convolutional LSTM over sequences with 2 spatial axis(es)."""

from lamella.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM2D(ConvLSTM):
    """A convolutional LSTM (Shi et al., 2015) over 2D frames: an LSTM whose input
    and recurrent transformations are 2D convolutions (see ``ConvLSTMCell``).

    Masking, statefulness, ``go_backwards`` and ``return_sequences`` work as for
    ``RNN``. Weights are Keras's: ``kernel (*kernel_size, channels, 4 * filters)``,
    ``recurrent_kernel (*kernel_size, filters, 4 * filters)``, ``bias (4 * filters,)``.

    Args:
        filters: the number of output channels.
        kernel_size: an integer or a tuple of 2 integers.
        strides, padding, data_format, dilation_rate: of the input convolution
            (the recurrent one is stride 1, ``'same'``).
        activation, recurrent_activation, use_bias, kernel_initializer,
            recurrent_initializer, bias_initializer, unit_forget_bias,
            kernel_regularizer, recurrent_regularizer, bias_regularizer,
            activity_regularizer, kernel_constraint, recurrent_constraint,
            bias_constraint, dropout, recurrent_dropout, seed: as for ``LSTM``.
        return_sequences, return_state, go_backwards, stateful, unroll: as for
            ``RNN``.
        **kwargs: base layer arguments.

    Input shape:
        (batch, timesteps, rows, cols, channels) (channels last; channels first puts the channels after timesteps).

    Output shape:
        (batch, new_rows, new_cols, filters), with the timesteps axis after the batch with
        ``return_sequences``; with ``return_state``, followed by ``h`` and ``c``.

    Example:

    >>> ConvLSTM2D(4, 3, padding="same")(np.ones((2, 5, 8, 8, 1))).shape
    (2, 8, 8, 4)
    """

    rank = 2
