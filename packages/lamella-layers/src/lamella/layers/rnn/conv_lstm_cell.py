"""``ConvLSTMCell``: one step of a convolutional LSTM (1, 2 or 3 spatial axes)."""

import jax
import jax.numpy as jnp
import numpy as np

from lamella import activations, constraints, initializers, regularizers
from lamella.backend import config
from lamella.engine.layer import Layer
from lamella.layers.rnn.arguments import check_flag, check_units
from lamella.layers.rnn.dropout_rnn_cell import DropoutRNNCell, gate_product

_SPATIAL = {1: "W", 2: "HW", 3: "DHW"}


def _tuple(layer_name, argument, value, rank):
    values = (value,) * rank if isinstance(value, int) else tuple(value)
    if len(values) != rank or not all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values
    ):
        raise ValueError(
            f"{layer_name} expected a positive integer or a tuple of {rank} positive "
            f"integers for {argument}. Received: {argument}={value!r}"
        )
    return values


def conv_output_length(length, kernel, stride, padding, dilation):
    if length is None:
        return None
    if padding == "same":
        return -(-length // stride)
    return (length - dilation * (kernel - 1) - 1) // stride + 1


class ConvLSTMCell(DropoutRNNCell, Layer):
    """One ConvLSTM step (Shi et al., 2015): an LSTM whose matrix products are
    convolutions, so that states keep the input's spatial layout::

        z = conv(x_t, kernel) + conv_same(h_{t-1}, recurrent_kernel) + bias
        i, f, g, o = split(z, 4, channel axis)
        c_t = σ(f) * c_{t-1} + σ(i) * tanh(g);  h_t = σ(o) * tanh(c_t)

    The input convolution uses ``strides``, ``padding`` and ``dilation_rate``; the
    recurrent one is stride 1, ``'same'`` padding, so ``h`` keeps its shape.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        filters: the number of output channels, a positive integer.
        kernel_size: an integer or a tuple of ``rank`` integers.
        strides: an integer or a tuple (default 1).
        padding: ``'valid'`` or ``'same'``.
        data_format: ``'channels_last'`` or ``'channels_first'`` (default the
            ``image_data_format`` setting).
        dilation_rate: an integer or a tuple (default 1).
        activation, recurrent_activation: defaults ``'tanh'`` and ``'sigmoid'``.
        use_bias: whether to add a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: defaults
            ``'glorot_uniform'``, ``'orthogonal'``, ``'zeros'``.
        unit_forget_bias: initialize the forget gate's bias to 1.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout, recurrent_dropout: fractions dropped in training (one mask per
            gate and per sequence, as in Keras 3).
        seed: seed of the dropout masks.
        **kwargs: base layer arguments.

    Input shape:
        ``inputs`` ``(batch, *spatial, channels)`` (channels last) and ``states``
        ``[h, c]``, each ``(batch, *output_spatial, filters)``.

    Output shape:
        ``(h_t, [h_t, c_t])``.

    Example:

    >>> cell = ConvLSTMCell(rank=2, filters=4, kernel_size=3, padding="same")
    >>> cell.build((None, 8, 8, 1))
    >>> h, states = cell(np.ones((2, 8, 8, 1)), cell.get_initial_state(batch_size=2))
    >>> h.shape
    (2, 8, 8, 4)
    """

    # Keras 3's ConvLSTM drops each gate's input and state with a mask of its own.
    dropout_gates = 4

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        name = type(self).__name__
        if rank not in (1, 2, 3):
            raise ValueError(f"{name} expected rank 1, 2 or 3. Received: rank={rank!r}")
        self.rank = rank
        self.filters = check_units(name, filters, "filters")
        self.kernel_size = _tuple(name, "kernel_size", kernel_size, rank)
        self.strides = _tuple(name, "strides", strides, rank)
        self.dilation_rate = _tuple(name, "dilation_rate", dilation_rate, rank)
        padding = padding.lower() if isinstance(padding, str) else padding
        if padding not in ("valid", "same"):
            raise ValueError(
                f"{name} expected padding 'valid' or 'same'. Received: padding={padding!r}"
            )
        self.padding = padding
        data_format = data_format or config.image_data_format()
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                f"{name} expected data_format 'channels_last' or 'channels_first'. "
                f"Received: data_format={data_format!r}"
            )
        self.data_format = data_format
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.unit_forget_bias = check_flag(name, "unit_forget_bias", unit_forget_bias)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._init_dropout(dropout, recurrent_dropout, seed)
        self._output_spatial = None

    # -- shapes ------------------------------------------------------------------------

    def _split(self, input_shape):
        """``(spatial, channels)`` of a ``(batch, ...)`` step input shape."""
        shape = tuple(input_shape)
        if self.data_format == "channels_last":
            return shape[1:-1], shape[-1]
        return shape[2:], shape[1]

    def _state_shape(self):
        if self.data_format == "channels_last":
            return (*self._output_spatial, self.filters)
        return (self.filters, *self._output_spatial)

    @property
    def state_size(self):
        if self._output_spatial is None:
            return [self.filters, self.filters]  # known once built
        return [self._state_shape(), self._state_shape()]

    @property
    def output_size(self):
        return None if self._output_spatial is None else self._state_shape()

    def compute_output_shape(self, input_shape):
        spatial, _ = self._split(input_shape)
        out = tuple(
            conv_output_length(n, k, s, self.padding, d)
            for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate)
        )
        if self.data_format == "channels_last":
            return (input_shape[0], *out, self.filters)
        return (input_shape[0], self.filters, *out)

    def build(self, input_shape):
        spatial, channels = self._split(input_shape)
        name = type(self).__name__
        if len(spatial) != self.rank or None in spatial or channels is None:
            raise ValueError(
                f"{name} '{self.name}' needs step inputs of rank {self.rank + 2} with known "
                f"spatial and channel sizes. Received: input_shape={tuple(input_shape)}"
            )
        self._output_spatial = tuple(self.compute_output_shape(input_shape)[1:-1]) if (
            self.data_format == "channels_last") else tuple(self.compute_output_shape(input_shape)[2:])
        if min(self._output_spatial) <= 0:
            raise ValueError(
                f"{name} '{self.name}': the kernel {self.kernel_size} does not fit the "
                f"input's spatial size {spatial} with padding='valid'."
            )
        width = 4 * self.filters
        self.kernel = self.add_weight(
            name="kernel", shape=(*self.kernel_size, channels, width),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel", shape=(*self.kernel_size, self.filters, width),
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = None
        if self.use_bias:
            base, filters = self.bias_initializer, self.filters
            initializer = base
            if self.unit_forget_bias:
                def initializer(shape, dtype=None):
                    return np.concatenate([
                        np.asarray(base((filters,), dtype=dtype)),
                        np.ones((filters,), dtype=dtype or "float32"),
                        np.asarray(base((2 * filters,), dtype=dtype)),
                    ])
            self.bias = self.add_weight(
                name="bias", shape=(width,), initializer=initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint,
            )
        self.built = True

    def get_initial_state(self, batch_size=None):
        shape = (batch_size, *self._state_shape())
        return [jnp.zeros(shape, self.compute_dtype), jnp.zeros(shape, self.compute_dtype)]

    # -- computing ---------------------------------------------------------------------

    def _conv(self, x, kernel, strides, padding, dilation):
        spatial = _SPATIAL[self.rank]
        layout = f"N{spatial}C" if self.data_format == "channels_last" else f"NC{spatial}"
        numbers = jax.lax.conv_dimension_numbers(
            x.shape, kernel.shape, (layout, f"{spatial}IO", layout)
        )
        return jax.lax.conv_general_dilated(
            x, kernel, window_strides=strides, padding=padding.upper(),
            rhs_dilation=dilation, dimension_numbers=numbers,
        )

    def call(self, inputs, states, training=False):
        h_previous, c_previous = states
        axis = -1 if self.data_format == "channels_last" else 1
        z = gate_product(
            self._drop_inputs(inputs, training), self.kernel.value,
            lambda x, k: self._conv(x, k, self.strides, self.padding, self.dilation_rate), axis,
        )
        z = z + gate_product(
            self._drop_state(h_previous, training), self.recurrent_kernel.value,
            lambda h, k: self._conv(h, k, (1,) * self.rank, "same", (1,) * self.rank), axis,
        )
        if self.bias is not None:
            bias = self.bias.value
            z = z + (bias if axis == -1 else bias.reshape((-1,) + (1,) * self.rank))
        i, f, g, o = jnp.split(z, 4, axis=axis)
        gate = self.recurrent_activation
        c = gate(f) * c_previous + gate(i) * self.activation(g)
        h = gate(o) * self.activation(c)
        return h, [h, c]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "rank": self.rank,
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "activation": activations.serialize(self.activation),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "unit_forget_bias": self.unit_forget_bias,
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout,
                "seed": self.seed,
            }
        )
        return config
