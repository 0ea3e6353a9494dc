"""``TimeDistributed``: applies a layer (or a whole model) to every timestep."""

import jax.numpy as jnp

from lamella.engine import masking
from lamella.engine.layer import Layer
from lamella.saving import serialization


class TimeDistributed(Layer):
    """Applies ``layer`` to each timestep of a sequence, with the same weights.

    ``inputs[:, t]`` goes through ``layer`` for every ``t``. The time axis is folded
    into the batch axis (``(batch * timesteps, ...)``), so the layer runs once over
    all timesteps as one large batch: one matrix product or convolution instead of
    a loop. ``layer`` may be a whole model, e.g. an image classifier turned into a
    per-frame video classifier.

    Layers whose training behaviour mixes the samples of a batch (batch
    normalization, which marks itself with ``mixes_samples_in_training``) are the
    exception: in training, a ``layer`` that holds one runs once per timestep, as
    in Keras 3, so each frame is normalized with its own batch statistics and the
    moving statistics move once per frame, in order. Folding would pool the
    statistics of every frame. Inference folds in every case (same values).

    Args:
        layer: the layer or model to apply.
        **kwargs: base layer arguments (``name``, ``input_shape``, ...).

    Input shape:
        ``(batch_size, timesteps, ...)``: each timestep has the shape ``layer``
        takes without its batch axis.

    Output shape:
        ``(batch_size, timesteps, ...)``, each timestep of ``layer``'s output shape.

    Example:

    >>> TimeDistributed(Dense(8))(np.ones((2, 10, 3))).shape
    (2, 10, 8)
    """

    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(layer, Layer):
            raise ValueError(
                "TimeDistributed expected a Layer instance (a layer or a model). "
                f"Received: layer={layer!r}"
            )
        self.layer = layer
        self.supports_masking = True

    def _check_rank(self, input_shape):
        if len(input_shape) < 3:
            raise ValueError(
                f"TimeDistributed layer '{self.name}' needs inputs of rank 3 or more "
                f"(batch, timesteps, ...). Received: input_shape={tuple(input_shape)}"
            )

    def build(self, input_shape):
        self._check_rank(input_shape)
        self.layer.build_from_shape((None, *tuple(input_shape)[2:]))
        self.built = True

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        inner = self.layer.compute_output_shape((None, *tuple(input_shape)[2:]))
        return (input_shape[0], input_shape[1], *tuple(inner)[1:])

    def _mixes_samples(self):
        return any(getattr(layer, "mixes_samples_in_training", False)
                   for layer in self.layer._flatten_layers())

    def call(self, inputs, training=None, mask=None):
        batch, steps = inputs.shape[:2]
        if training and self._mixes_samples():
            return self._call_per_timestep(inputs, mask)
        folded = jnp.reshape(inputs, (batch * steps, *inputs.shape[2:]))
        # A (batch, timesteps) mask is about the time axis, which the inner layer
        # never sees; only a mask with axes of its own inside each timestep is
        # folded and handed to it.
        folded_mask = None
        if mask is not None and mask.ndim > 2:
            folded_mask = jnp.reshape(mask, (batch * steps, *mask.shape[2:]))
        outputs, _ = masking.call_with_mask(self.layer, folded, folded_mask, training=training)
        return jnp.reshape(outputs, (batch, steps, *outputs.shape[1:]))

    def _call_per_timestep(self, inputs, mask):
        # A Python loop over the (static) time axis: each step's state updates
        # (moving statistics) are seen by the next step, as in Keras 3's loop.
        step_masks = [None] * inputs.shape[1]
        if mask is not None and mask.ndim > 2:
            step_masks = [mask[:, t] for t in range(inputs.shape[1])]
        outputs = [
            masking.call_with_mask(self.layer, inputs[:, t], step_masks[t], training=True)[0]
            for t in range(inputs.shape[1])
        ]
        return jnp.stack(outputs, axis=1)

    def compute_mask(self, inputs, mask=None):
        return mask

    def get_config(self):
        config = super().get_config()
        config["layer"] = serialization.serialize_object(self.layer, kind="layers")
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        layer = serialization.deserialize_object(
            config.pop("layer"), kind="layers", custom_objects=custom_objects
        )
        return cls(layer, **config)
