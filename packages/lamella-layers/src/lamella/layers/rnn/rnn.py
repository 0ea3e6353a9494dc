"""``RNN``: runs a recurrent cell over the timesteps of a sequence."""

import inspect

import jax
import jax.numpy as jnp

from lamella.engine.layer import Layer
from lamella.layers.rnn.arguments import check_flag
from lamella.layers.rnn.recurrence import recur
from lamella.saving import serialization


def call_cell(cell, inputs, states, training):
    """``cell(inputs, states)``, with ``training`` when the cell takes it."""
    if isinstance(cell, Layer):
        return cell(inputs, states, training=training)
    parameters = inspect.signature(cell.call).parameters
    if "training" in parameters:
        return cell.call(inputs, states, training=training)
    return cell.call(inputs, states)


def initial_state_of(cell, batch_size, dtype):
    """A cell's zero state: its ``get_initial_state`` or zeros per ``state_size``."""
    method = getattr(cell, "get_initial_state", None)
    if method is not None:
        return method(batch_size=batch_size)
    size = cell.state_size
    if isinstance(size, int):
        return jnp.zeros((batch_size, size), dtype)
    return [jnp.zeros((batch_size, s), dtype) for s in size]


def is_shape(size):
    """Whether a state size is one state's shape (a tuple of ints, for
    convolutional cells) rather than a list of several states' sizes."""
    return isinstance(size, tuple) and all(isinstance(d, int) for d in size)


def _flat_sizes(state_size):
    if isinstance(state_size, list | tuple) and not is_shape(state_size):
        return [s for item in state_size for s in _flat_sizes(item)]
    return [state_size]


class RNN(Layer):
    """Runs ``cell`` over a sequence: ``outputs[t], states = cell(inputs[t], states)``.

    The time loop is one ``lax.scan`` (a single compiled step body whatever the
    length). A mask (from ``Embedding(mask_zero=True)``, ``Masking``, or passed as
    ``mask=``) makes masked timesteps keep the previous states and repeat the
    previous output.

    With ``stateful=True`` the last states of a batch are the initial states of the
    next one: sample ``i`` of each batch continues sample ``i`` of the previous
    batch. The states live in non-trainable variables, so ``fit``, ``evaluate`` and
    ``predict`` carry them from batch to batch (also inside one compiled epoch);
    ``reset_states()`` sets them back to zeros. A stateful layer needs a fixed batch
    size: ``batch_size`` or ``batch_input_shape`` on the first layer, or
    ``Input(batch_size=...)``.

    Args:
        cell: a cell (``call(inputs, states) -> (output, new_states)`` and
            ``state_size``), or a list of cells, stacked (``StackedRNNCells``).
        return_sequences: return every timestep's output ``(batch, timesteps,
            units)`` instead of the last one ``(batch, units)``.
        return_state: also return the final states, after the output.
        go_backwards: process the sequence from its end; the returned sequence is
            in processing order (reversed), as in Keras.
        stateful: carry the states from one batch to the next.
        unroll: unroll the time loop (faster for short sequences, more memory).
        zero_output_for_mask: masked timesteps output zeros instead of the previous
            output (with ``return_sequences``).
        time_major: inputs and sequence outputs are ``(timesteps, batch, ...)``.
        **kwargs: base layer arguments (``name``, ``dtype``, ``input_shape``,
            ``batch_input_shape``, ``batch_size``, ...).

    Call arguments:
        inputs: ``(batch_size, timesteps, ...)``.
        initial_state: the initial states (a list, one array per state); default
            zeros (or the carried states of a stateful layer).
        mask: ``(batch_size, timesteps)`` booleans, ``True`` for real timesteps.
        training: whether dropout applies.

    Input shape:
        ``(batch_size, timesteps, features)`` (more axes for convolutional cells).

    Output shape:
        ``(batch_size, units)``, or ``(batch_size, timesteps, units)`` with
        ``return_sequences``; with ``return_state`` followed by the states.

    Example:

    >>> layer = RNN(LSTMCell(4), return_sequences=True)
    >>> layer(np.ones((2, 5, 3))).shape
    (2, 5, 4)
    """

    def __init__(
        self,
        cell,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        zero_output_for_mask=False,
        time_major=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(cell, list | tuple):
            from lamella.layers.rnn.stacked_rnn_cells import StackedRNNCells

            cell = StackedRNNCells(cell)
        if not callable(getattr(cell, "call", None)) or not hasattr(cell, "state_size"):
            raise ValueError(
                f"{type(self).__name__} expected a cell with a call(inputs, states) method "
                f"and a state_size attribute. Received: cell={cell!r}"
            )
        name = type(self).__name__
        self.cell = cell
        self.return_sequences = check_flag(name, "return_sequences", return_sequences)
        self.return_state = check_flag(name, "return_state", return_state)
        self.go_backwards = check_flag(name, "go_backwards", go_backwards)
        self.stateful = check_flag(name, "stateful", stateful)
        self.unroll = check_flag(name, "unroll", unroll)
        self.zero_output_for_mask = check_flag(name, "zero_output_for_mask", zero_output_for_mask)
        self.time_major = check_flag(name, "time_major", time_major)
        self.supports_masking = True
        self._state_variables = None

    # -- sizes -------------------------------------------------------------------------

    @property
    def state_size(self):
        size = self.cell.state_size
        return list(size) if isinstance(size, list | tuple) else [size]

    def _output_size(self):
        size = getattr(self.cell, "output_size", None)
        if size is None:
            size = _flat_sizes(self.cell.state_size)[0]
        return (size,) if isinstance(size, int) else tuple(size)

    def _batch_major(self, shape):
        shape = tuple(shape)
        return (shape[1], shape[0], *shape[2:]) if self.time_major else shape

    def _state_shapes(self, batch):
        def shapes(size):
            if isinstance(size, list | tuple) and not is_shape(size):
                return [shapes(s) for s in size]
            return (batch, size) if isinstance(size, int) else (batch, *size)

        return [shapes(s) for s in self.state_size]

    def compute_output_shape(self, input_shape, initial_state_shape=None):
        batch, steps = self._batch_major(input_shape)[:2]
        output_size = self._output_size()
        if self.return_sequences:
            output = (steps, batch, *output_size) if self.time_major else (batch, steps, *output_size)
        else:
            output = (batch, *output_size)
        if self.return_state:
            return [output, *self._state_shapes(batch)]
        return output

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, list | tuple):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(self.state_size)
        return output_mask

    # -- building ----------------------------------------------------------------------

    def build(self, input_shape, initial_state_shape=None):
        shape = self._batch_major(input_shape)
        if isinstance(self.cell, Layer):
            self.cell.build_from_shape((shape[0], *shape[2:]))
        if self.stateful and self._state_variables is None:
            if shape[0] is None:
                raise ValueError(
                    f"{type(self).__name__} layer '{self.name}' is stateful, so it needs "
                    "a fixed batch size: give the first layer batch_size=... or "
                    "batch_input_shape=(...), or use Input(shape, batch_size=...). "
                    f"Received an input of shape {tuple(input_shape)}."
                )
            states = jax.tree.leaves(self.get_initial_state(shape[0]))
            self._state_variables = []
            for index, state in enumerate(states):
                variable = self.add_weight(
                    name=f"state_{index}", shape=tuple(state.shape), initializer="zeros",
                    dtype=self.variable_dtype, trainable=False,
                )
                # Threaded through steps, but not a weight (not saved, as in Keras).
                variable._is_layer_state = True
                self._state_variables.append(variable)
        self.built = True

    def get_initial_state(self, batch_size):
        """The zero states for a batch of ``batch_size`` (a list, one per state)."""
        state = initial_state_of(self.cell, batch_size, self.compute_dtype)
        return list(state) if isinstance(state, list | tuple) else [state]

    # -- stateful ----------------------------------------------------------------------

    @property
    def states(self):
        """The current states of a stateful layer (``None`` otherwise)."""
        if self._state_variables is None:
            return None
        return [v.value for v in self._state_variables]

    def reset_states(self, states=None):
        """Sets the states of a stateful layer to zeros, or to ``states``."""
        if not self.stateful:
            raise AttributeError(
                f"Layer '{self.name}' is not stateful: reset_states() applies to "
                "recurrent layers created with stateful=True."
            )
        if self._state_variables is None:
            return
        if states is None:
            for variable in self._state_variables:
                variable.assign(jnp.zeros(variable.shape, variable.dtype))
            return
        values = jax.tree.leaves(states)
        if len(values) != len(self._state_variables):
            raise ValueError(
                f"Layer '{self.name}' has {len(self._state_variables)} states; "
                f"reset_states received {len(values)} arrays."
            )
        for variable, value in zip(self._state_variables, values):
            if tuple(jnp.shape(value)) != variable.shape:
                raise ValueError(
                    f"Layer '{self.name}': a state has shape {variable.shape}, but "
                    f"reset_states received an array of shape {tuple(jnp.shape(value))}."
                )
            variable.assign(value)

    reset_state = reset_states

    # -- calling -----------------------------------------------------------------------

    def _initial_states(self, sequences, initial_state):
        batch = sequences.shape[0]
        if initial_state is not None:
            states = list(initial_state) if isinstance(initial_state, list | tuple) else [initial_state]
            expected = len(jax.tree.leaves(self.get_initial_state(1)))
            if len(jax.tree.leaves(states)) != expected:
                raise ValueError(
                    f"Layer '{self.name}' has {expected} states, but initial_state has "
                    f"{len(jax.tree.leaves(states))} arrays."
                )
            structure = jax.tree.structure(self.get_initial_state(1))
            return jax.tree.unflatten(
                structure, [jnp.asarray(s, self.compute_dtype) for s in jax.tree.leaves(states)]
            )
        if self.stateful:
            expected = self._state_variables[0].shape[0]
            if batch != expected:
                raise ValueError(
                    f"{type(self).__name__} layer '{self.name}' is stateful with a batch "
                    f"size of {expected}, but received a batch of {batch} samples. Every "
                    "batch must have the fixed batch size (the number of samples must be "
                    "a multiple of it)."
                )
            structure = jax.tree.structure(self.get_initial_state(expected))
            values = [v.value.astype(self.compute_dtype) for v in self._state_variables]
            return jax.tree.unflatten(structure, values)
        return self.get_initial_state(batch)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        if self.time_major:
            sequences = jnp.swapaxes(sequences, 0, 1)
        if isinstance(mask, list | tuple):
            mask = mask[0]
        states = self._initial_states(sequences, initial_state)
        flat_states = jax.tree.leaves(states)
        if hasattr(self.cell, "prepare_dropout"):
            self.cell.prepare_dropout(
                (sequences.shape[0], *sequences.shape[2:]), flat_states[0].shape,
                self.compute_dtype, training,
            )
        cell = self.cell

        def step(x, states):
            return call_cell(cell, x, states, training)

        # A masked first timestep repeats "the previous output": the (last cell's)
        # first state, as in Keras, or zeros when the output is shaped otherwise.
        output_shape = (sequences.shape[0], *self._output_size())
        from lamella.layers.rnn.stacked_rnn_cells import StackedRNNCells

        last_cell_states = states[-1] if isinstance(cell, StackedRNNCells) else states
        first_state = jax.tree.leaves(last_cell_states)[0]
        if tuple(first_state.shape) == output_shape:
            initial_output = first_state
        else:
            initial_output = jnp.zeros(output_shape, self.compute_dtype)
        try:
            last_output, outputs, final_states = recur(
                step, sequences, states, initial_output, mask=mask,
                go_backwards=self.go_backwards, unroll=self.unroll,
                zero_output_for_mask=self.zero_output_for_mask,
                return_sequences=self.return_sequences,
            )
        finally:
            if hasattr(self.cell, "clear_dropout"):
                self.cell.clear_dropout()
        if self.stateful:
            for variable, value in zip(self._state_variables, jax.tree.leaves(final_states)):
                variable.assign(value)
        output = outputs if self.return_sequences else last_output
        if self.return_sequences and self.time_major:
            output = jnp.swapaxes(output, 0, 1)
        if self.return_state:
            return [output, *final_states]
        return output

    # -- serialization -----------------------------------------------------------------

    def _rnn_config(self):
        return {
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "time_major": self.time_major,
        }

    def get_config(self):
        config = super().get_config()
        config.update(self._rnn_config())
        config["cell"] = serialization.serialize_object(self.cell, kind="layers")
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cell = serialization.deserialize_object(
            config.pop("cell"), kind="layers", custom_objects=custom_objects
        )
        return cls(cell, **config)
