"""``CellLayer``: a recurrent layer that builds its own cell (SimpleRNN, LSTM, GRU).

The layer takes the cell's hyper-parameters and the ``RNN`` arguments in one flat
list, as in Keras; its config is flat too, and the cell's hyper-parameters read as
the layer's attributes (``lstm.units``, ``gru.reset_after``).
"""

from lamella import regularizers
from lamella.layers.rnn.arguments import check_units
from lamella.layers.rnn.rnn import RNN

# Base-layer arguments that stay with the layer (the rest go to the cell).
_LAYER_KEYS = (
    "name", "trainable", "dtype", "autocast", "activity_regularizer", "input_shape",
    "input_dim", "batch_input_shape", "batch_size", "weights",
)
_RNN_KEYS = (
    "return_sequences", "return_state", "go_backwards", "stateful", "unroll",
    "zero_output_for_mask", "time_major",
)


class CellLayer(RNN):
    """Base of SimpleRNN, LSTM and GRU: set ``cell_class``."""

    cell_class = None

    def __init__(self, units, **kwargs):
        check_units(type(self).__name__, units)
        self._init_with_cell((units,), kwargs)

    def _init_with_cell(self, cell_args, kwargs):
        """Builds the cell from ``cell_args`` and the cell's share of ``kwargs``;
        the rest go to ``RNN`` and the base layer."""
        name = type(self).__name__
        layer_kwargs = {k: kwargs.pop(k) for k in _LAYER_KEYS if k in kwargs}
        rnn_kwargs = {k: kwargs.pop(k) for k in _RNN_KEYS if k in kwargs}
        try:
            cell = self.cell_class(
                *cell_args, dtype=layer_kwargs.get("dtype"),
                trainable=layer_kwargs.get("trainable", True), **kwargs,
            )
        except TypeError as error:
            raise TypeError(f"Unrecognized arguments passed to {name}: {error}") from None
        except ValueError as error:
            raise ValueError(str(error).replace(self.cell_class.__name__, name, 1)) from None
        RNN.__init__(self, cell, **rnn_kwargs, **layer_kwargs)

    def __getattr__(self, attribute):
        cell = self.__dict__.get("cell")
        if cell is not None and attribute in self._cell_config_keys():
            return getattr(cell, attribute)
        # Python comes here also when a property raised AttributeError (``output`` of a
        # layer with several nodes): looking it up again raises that error, not ours.
        return object.__getattribute__(self, attribute)

    def _cell_config_keys(self):
        return set(self.__dict__["cell"].get_config()) - {"name", "trainable", "dtype"}

    def get_config(self):
        config = super(RNN, self).get_config()
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        config.update(cell_config)
        config.update(self._rnn_config())
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)
