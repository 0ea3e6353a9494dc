"""``StackedRNNCells``: several cells run one after the other at each timestep."""

from lamella.engine.layer import Layer
from lamella.saving import serialization


def _as_list(states):
    return list(states) if isinstance(states, list | tuple) else [states]


class StackedRNNCells(Layer):
    """A cell made of ``cells``: at each timestep, cell ``k`` takes the output of
    cell ``k - 1``. Its state is the list of the cells' states; its output is the
    last cell's output. ``RNN([cell_a, cell_b])`` stacks them the same way.

    Args:
        cells: a list of cells (objects with ``call(inputs, states)`` and
            ``state_size``).
        **kwargs: base layer arguments.

    Input shape:
        ``inputs`` ``(batch_size, input_dim)`` and ``states``, one entry per cell
        (that cell's list of states).

    Output shape:
        ``(output, new_states)``.

    Example:

    >>> cells = StackedRNNCells([LSTMCell(8), GRUCell(4)])
    >>> RNN(cells)(np.ones((2, 5, 3))).shape
    (2, 4)
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(cells, list | tuple) or not cells:
            raise ValueError(
                f"StackedRNNCells expected a non-empty list of cells. Received: cells={cells!r}"
            )
        for cell in cells:
            if not callable(getattr(cell, "call", None)) or not hasattr(cell, "state_size"):
                raise ValueError(
                    "Every cell of StackedRNNCells needs a call(inputs, states) method "
                    f"and a state_size attribute. Received: {cell!r}"
                )
        self.cells = list(cells)

    @property
    def state_size(self):
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self):
        last = self.cells[-1]
        if getattr(last, "output_size", None) is not None:
            return last.output_size
        size = last.state_size
        return size[0] if isinstance(size, list | tuple) else size

    def get_initial_state(self, batch_size=None):
        from lamella.layers.rnn.rnn import initial_state_of

        return [initial_state_of(cell, batch_size, self.compute_dtype) for cell in self.cells]

    def build(self, input_shape):
        shape = tuple(input_shape)
        for cell in self.cells:
            if isinstance(cell, Layer):
                cell.build_from_shape(shape)
            size = getattr(cell, "output_size", None)
            if size is None:
                size = _as_list(cell.state_size)[0]
            shape = (shape[0], size) if isinstance(size, int) else (shape[0], *size)
        self.built = True

    def call(self, inputs, states, training=False):
        from lamella.layers.rnn.rnn import call_cell

        new_states = []
        for cell, cell_states in zip(self.cells, states):
            # Each cell's states keep the structure they came in (a list, or one array).
            is_list = isinstance(cell_states, list | tuple)
            inputs, cell_new = call_cell(cell, inputs, _as_list(cell_states), training)
            cell_new = _as_list(cell_new)
            new_states.append(cell_new if is_list or len(cell_new) != 1 else cell_new[0])
        return inputs, new_states

    def prepare_dropout(self, input_shape, state_shape, dtype, training):
        shape = tuple(input_shape)
        for cell in self.cells:
            size = _as_list(cell.state_size)[0]
            cell_state = (shape[0], size) if isinstance(size, int) else (shape[0], *size)
            if hasattr(cell, "prepare_dropout"):
                cell.prepare_dropout(shape, cell_state, dtype, training)
            out = getattr(cell, "output_size", None) or size
            shape = (shape[0], out) if isinstance(out, int) else (shape[0], *out)

    def clear_dropout(self):
        for cell in self.cells:
            if hasattr(cell, "clear_dropout"):
                cell.clear_dropout()

    def get_config(self):
        config = super().get_config()
        config["cells"] = [serialization.serialize_object(c, kind="layers") for c in self.cells]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cells = [
            serialization.deserialize_object(c, kind="layers", custom_objects=custom_objects)
            for c in config.pop("cells")
        ]
        return cls(cells, **config)
