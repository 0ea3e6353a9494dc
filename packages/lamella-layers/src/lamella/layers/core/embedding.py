"""``Embedding``: a lookup table from integer ids to dense vectors."""

import jax.numpy as jnp

from lamella import constraints, initializers, regularizers
from lamella.engine.layer import Layer


class Embedding(Layer):
    """Maps each integer id in ``[0, input_dim)`` to a learned vector of size
    ``output_dim``: ``outputs[..., :] = embeddings[inputs[...]]``.

    With ``mask_zero=True`` the id 0 is padding: the layer emits the mask
    ``inputs != 0``, which recurrent and attention layers downstream use to skip
    the padded timesteps (id 0 then cannot stand for a word, so ``input_dim``
    should be the vocabulary size plus one).

    Args:
        input_dim: the vocabulary size (largest id plus one), a positive integer.
        output_dim: the size of each vector, a positive integer.
        embeddings_initializer: initializer of the table (default ``'uniform'``).
        embeddings_regularizer: regularizer of the table.
        embeddings_constraint: constraint of the table.
        mask_zero: whether id 0 is padding to be masked.
        input_length: the Keras 2 argument: the sequence length, used as the
            input shape ``(input_length,)`` of a first layer.
        activity_regularizer: regularizer of the output.
        **kwargs: base layer arguments (``name``, ``dtype``, ``input_shape``, ...).

    Input shape:
        ``(batch_size, ...)`` of integer ids (floats are truncated to integers).

    Output shape:
        ``(batch_size, ..., output_dim)``.

    Example:

    >>> layer = Embedding(10, 4, mask_zero=True)
    >>> ids = np.array([[3, 1, 0]])
    >>> layer(ids).shape, layer.compute_mask(ids).tolist()
    ((1, 3, 4), [[True, True, False]])
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        input_length=None,
        activity_regularizer=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        for argument, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(
                    f"Embedding expected a positive integer for {argument}. "
                    f"Received: {argument}={value!r}"
                )
        if input_length is not None and (
            isinstance(input_length, bool) or not isinstance(input_length, int)
            or input_length <= 0
        ):
            raise ValueError(
                "Embedding expected a positive integer or None for input_length. "
                f"Received: input_length={input_length!r}"
            )
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.input_length = input_length
        self.supports_masking = self.mask_zero
        # Ids are looked up, not computed with: never cast them to the float dtype.
        self.autocast = False
        if input_length is not None and self._batch_input_shape is None:
            # Keras 2: `Embedding(..., input_length=n)` as a first layer set its shape.
            self._batch_input_shape = (kwargs.get("batch_size"), input_length)

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(
            name="embeddings",
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
        )
        self.built = True

    def call(self, inputs):
        ids = inputs if jnp.issubdtype(inputs.dtype, jnp.integer) else inputs.astype(jnp.int32)
        return jnp.take(self.embeddings.value, ids, axis=0)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return jnp.not_equal(jnp.asarray(inputs), 0)

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape), self.output_dim)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
                "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
                "mask_zero": self.mask_zero,
            }
        )
        if self.input_length is not None:
            config["input_length"] = self.input_length
        return config
