"""``Bidirectional``: a recurrent layer run forwards and backwards, outputs merged."""

import jax.numpy as jnp

from lamella.engine.layer import Layer
from lamella.saving import serialization

MERGE_MODES = ("concat", "sum", "mul", "ave", None)


def _copy(layer, name, **overrides):
    """A fresh layer from ``layer``'s config (no weights, no state)."""
    return type(layer).from_config({**layer.get_config(), "name": name, **overrides})


class Bidirectional(Layer):
    """Runs ``layer`` over the sequence forwards and a copy of it backwards, and
    merges the two outputs.

    The backward copy has ``go_backwards`` flipped; its sequence output is flipped
    back, so that timestep ``t`` of both halves refers to input timestep ``t``. The
    merge is ``concat`` (on the last axis), ``sum``, ``mul``, ``ave`` or ``None``
    (a list of the two outputs). The weights are the forward layer's, then the
    backward layer's, as in Keras.

    Args:
        layer: a recurrent layer (``LSTM``, ``GRU``, ``SimpleRNN``, ``RNN``, or any
            layer with ``go_backwards``, ``return_sequences`` and ``return_state``).
            It is copied from its config: the wrapper's layers are fresh ones.
        merge_mode: how the outputs are combined (default ``'concat'``).
        backward_layer: a layer to use for the backward direction instead of a
            copy; it must have the opposite ``go_backwards`` and the same
            ``return_sequences``, ``return_state`` and ``stateful``.
        **kwargs: base layer arguments (``name``, ``input_shape``, ...).

    Call arguments:
        inputs: ``(batch_size, timesteps, features)``.
        initial_state: the forward layer's states followed by the backward one's.
        mask: ``(batch_size, timesteps)`` booleans.
        training: passed to both layers.

    Input shape:
        ``(batch_size, timesteps, features)``.

    Output shape:
        The wrapped layer's, with the last axis doubled for ``concat``; with
        ``return_state``, the forward states then the backward states follow.

    Example:

    >>> Bidirectional(LSTM(4, return_sequences=True))(np.ones((2, 5, 3))).shape
    (2, 5, 8)
    """

    def __init__(self, layer, merge_mode="concat", backward_layer=None, **kwargs):
        super().__init__(**kwargs)
        for argument, value in (("layer", layer), ("backward_layer", backward_layer)):
            if value is not None and not isinstance(value, Layer):
                raise ValueError(
                    f"Bidirectional expected a Layer instance for {argument}. "
                    f"Received: {argument}={value!r}"
                )
            if value is not None and not all(
                hasattr(value, a) for a in ("go_backwards", "return_sequences", "return_state")
            ):
                raise ValueError(
                    f"Bidirectional needs a recurrent layer for {argument} (with "
                    "go_backwards, return_sequences and return_state). Received: "
                    f"{argument}={value!r}"
                )
        if merge_mode not in MERGE_MODES:
            raise ValueError(
                f"Bidirectional expected merge_mode in {list(MERGE_MODES)}. "
                f"Received: merge_mode={merge_mode!r}"
            )
        base = layer.name.removeprefix("forward_")
        self.forward_layer = _copy(layer, f"forward_{base}")
        if backward_layer is None:
            self.backward_layer = _copy(
                layer, f"backward_{base}", go_backwards=not layer.go_backwards
            )
        else:
            self.backward_layer = backward_layer
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(
                "Bidirectional needs a backward_layer with the opposite go_backwards of "
                f"layer. Received: go_backwards={backward.go_backwards!r} for both."
            )
        for attribute in ("stateful", "return_sequences", "return_state"):
            if getattr(forward, attribute, None) != getattr(backward, attribute, None):
                raise ValueError(
                    f"Bidirectional needs layer and backward_layer to agree on "
                    f"{attribute}. Received: {getattr(forward, attribute, None)!r} and "
                    f"{getattr(backward, attribute, None)!r}."
                )
        # Padded timesteps must add nothing to a merged sequence (Keras's rule).
        for direction in (forward, backward):
            if hasattr(direction, "zero_output_for_mask"):
                direction.zero_output_for_mask = direction.return_sequences
        self.merge_mode = merge_mode
        self.return_sequences = forward.return_sequences
        self.return_state = forward.return_state
        self.stateful = getattr(forward, "stateful", False)
        self.supports_masking = True

    def build(self, input_shape, initial_state_shape=None):
        self.forward_layer.build_from_shape(input_shape)
        self.backward_layer.build_from_shape(input_shape)
        self.built = True

    def _merge(self, forward, backward):
        if self.merge_mode == "concat":
            return jnp.concatenate([forward, backward], axis=-1)
        if self.merge_mode == "sum":
            return forward + backward
        if self.merge_mode == "ave":
            return (forward + backward) / 2
        if self.merge_mode == "mul":
            return forward * backward
        return [forward, backward]

    def call(self, inputs, initial_state=None, mask=None, training=None):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = list(initial_state[:half]), list(initial_state[half:])
        kwargs = {"training": training}
        if mask is not None:
            kwargs["mask"] = mask
        forward = self.forward_layer(inputs, initial_state=forward_state, **kwargs)
        backward = self.backward_layer(inputs, initial_state=backward_state, **kwargs)
        states = []
        if self.return_state:
            states = [*forward[1:], *backward[1:]]
            forward, backward = forward[0], backward[0]
        if self.return_sequences:
            backward = jnp.flip(backward, axis=1)
        output = self._merge(forward, backward)
        if self.return_state:
            return [*output, *states] if self.merge_mode is None else [output, *states]
        return output

    def compute_output_shape(self, input_shape, initial_state_shape=None):
        shape = self.forward_layer.compute_output_shape(input_shape)
        states = []
        if self.return_state:
            shape, states = shape[0], list(shape[1:])
        shape = tuple(shape)
        if self.merge_mode == "concat":
            output = [(*shape[:-1], shape[-1] * 2)]
        elif self.merge_mode is None:
            output = [shape, shape]
        else:
            output = [shape]
        if self.return_state:
            return [*output, *states, *states]
        return output[0] if len(output) == 1 else output

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, list | tuple):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        outputs = [output_mask, output_mask] if self.merge_mode is None else [output_mask]
        if self.return_state:
            states = len(self.forward_layer.state_size) * 2
            return outputs + [None] * states
        return outputs[0] if len(outputs) == 1 else outputs

    def reset_states(self, states=None):
        """Resets both directions' states (a stateful wrapped layer)."""
        if states is None:
            self.forward_layer.reset_states()
            self.backward_layer.reset_states()
            return
        half = len(states) // 2
        self.forward_layer.reset_states(states[:half])
        self.backward_layer.reset_states(states[half:])

    def get_config(self):
        config = super().get_config()
        config["layer"] = serialization.serialize_object(self.forward_layer, kind="layers")
        config["merge_mode"] = self.merge_mode
        config["backward_layer"] = serialization.serialize_object(self.backward_layer, kind="layers")
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        layer = serialization.deserialize_object(
            config.pop("layer"), kind="layers", custom_objects=custom_objects
        )
        backward = config.pop("backward_layer", None)
        if backward is not None:
            backward = serialization.deserialize_object(
                backward, kind="layers", custom_objects=custom_objects
            )
        return cls(layer, backward_layer=backward, **config)
