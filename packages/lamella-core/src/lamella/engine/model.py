"""``Model``: a layer that trains (compile/fit/evaluate/predict) and summarizes itself.

``Model(inputs, outputs)`` builds a functional model; subclassing ``Model`` and
writing ``call`` gives a subclassed model, built on its first call.
"""

import json

from lamella.engine.layer import Layer
from lamella.engine.symbolic_tensor import SymbolicTensor
from lamella.training.trainer import Trainer


def _is_functional_call(args, kwargs):
    if "inputs" in kwargs and "outputs" in kwargs:
        return True
    if len(args) >= 2:
        return True
    return len(args) == 1 and "outputs" in kwargs


class Model(Trainer, Layer):
    """A group of layers with training and inference features.

    Two ways to make one:

    - functional: ``Model(inputs=Input(...), outputs=...)``, the graph between the
      inputs and the outputs;
    - subclassing: define layers in ``__init__`` and the forward pass in
      ``call(inputs, training=None)``.

    Example:

    >>> class TwoLayers(Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = Dense(8, activation="relu")
    ...         self.out = Dense(1)
    ...     def call(self, x):
    ...         return self.out(self.hidden(x))
    """

    def __new__(cls, *args, **kwargs):
        if cls is Model and _is_functional_call(args, kwargs):
            from lamella.engine.functional import Functional

            return Functional.__new__(Functional, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        trainable = kwargs.pop("trainable", True)
        name = kwargs.pop("name", None)
        dtype = kwargs.pop("dtype", None)
        if args or kwargs:
            unknown = {**dict(enumerate(args)), **kwargs}
            raise TypeError(
                f"Unrecognized arguments passed to {type(self).__name__}: {unknown}. "
                "A subclassed Model takes name, trainable and dtype; a functional "
                "Model takes inputs and outputs."
            )
        Trainer.__init__(self)
        Layer.__init__(self, trainable=trainable, name=name, dtype=dtype)

    # -- building ----------------------------------------------------------------------

    def build(self, input_shape):
        """Builds a subclassed model by calling it once on symbolic inputs."""
        if self.built:
            return
        if isinstance(input_shape, dict):
            inputs = {k: SymbolicTensor(v) for k, v in input_shape.items()}
        elif isinstance(input_shape, list) and input_shape and not isinstance(
            input_shape[0], int | type(None)
        ):
            inputs = [SymbolicTensor(s) for s in input_shape]
        else:
            inputs = SymbolicTensor(tuple(input_shape))
        from lamella.engine.output_spec import trace_output_spec

        self.built = True
        try:
            trace_output_spec(self.call, (inputs,), {})
        except Exception:
            self.built = False
            raise
        # Saved with the model, so that loading builds it before placing weights.
        self._build_input_shape = input_shape

    # -- layers ------------------------------------------------------------------------

    def get_layer(self, name=None, index=None):
        """A layer of the model, by name or by index (in ``model.layers`` order)."""
        if name is not None and index is not None:
            raise ValueError(
                "Provide either a layer name or a layer index, not both. "
                f"Received: name={name!r}, index={index!r}"
            )
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model "
                    f"{self.name!r} only has {len(layers)} layers."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: "
                f"{[layer.name for layer in layers]}."
            )
        raise ValueError("Provide either a layer name or a layer index to get_layer().")

    # -- state -------------------------------------------------------------------------

    def reset_states(self):
        """Resets the state of every stateful layer (recurrent layers with
        ``stateful=True``) to zeros, as at the start of a new sequence."""
        for layer in self._flatten_layers(include_self=False):
            reset = getattr(layer, "reset_states", None)
            # Recurrent layers say whether they are stateful (a stateless one has
            # nothing to reset); other layers with state reset theirs.
            if reset is not None and getattr(layer, "stateful", True) and not isinstance(layer, Model):
                reset()

    # -- inspection --------------------------------------------------------------------

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False, show_trainable=False):
        """Prints a table of the layers, their output shapes and parameter counts."""
        from lamella.engine.summary import print_summary

        print_summary(
            self,
            line_length=line_length,
            positions=positions,
            print_fn=print_fn,
            expand_nested=expand_nested,
            show_trainable=show_trainable,
        )

    # -- serialization -----------------------------------------------------------------

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds a model; a functional config (Keras 2 files name it ``Model``)
        gives a functional model."""
        from lamella.engine import functional_config
        from lamella.engine.functional import Functional

        if {"layers", "input_layers", "output_layers"} <= set(config):
            target = cls if issubclass(cls, Functional) else Functional
            return functional_config.functional_from_config(target, config, custom_objects)
        return super().from_config(config)

    def to_json(self, **kwargs):
        """The model's architecture as a JSON string (no weights)."""
        from lamella.saving import serialization

        return json.dumps(serialization.serialize_object(self, kind="layers"), **kwargs)

    def save(self, filepath, overwrite=True, include_optimizer=True):
        """Saves the whole model: architecture, weights, compile arguments and the
        optimizer's state (see ``lamella.saving.save_model``).

        ``*.keras`` writes lamella's zip, ``*.h5`` one HDF5 file. The write is
        atomic: the previous file stays intact until the new one is complete.
        """
        from lamella.saving import saving_api

        saving_api.save_model(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer)

    def save_weights(self, filepath, overwrite=True):
        """Saves the weights to an HDF5 file (``*.h5`` or ``*.weights.h5``)."""
        from lamella.saving import saving_api

        saving_api.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False, by_name=False):
        """Loads weights saved by lamella, Keras 3 (``.weights.h5``, ``.keras``) or
        Keras 2 (``.h5``), by topology or by layer name
        (see ``lamella.saving.load_weights``)."""
        from lamella.saving import saving_api

        saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, by_name=by_name)
