"""``CategoryEncoding``: integer ids to one-hot, multi-hot or count vectors."""

import jax.numpy as jnp

from lamella.engine.layer import Layer
from lamella.layers.preprocessing import encoding


class CategoryEncoding(Layer):
    """Encodes integer ids in ``[0, num_tokens)`` as vectors of ``num_tokens``.

    ``one_hot`` encodes each id (a last axis of size 1 is replaced by the
    encoding, otherwise one is added); ``multi_hot`` marks the ids present in each
    sample (the last axis); ``count`` counts them, weighted by ``count_weights``
    when given. Ids out of range count for nothing (no error inside a compiled
    step). It runs on the device.

    Args:
        num_tokens: the number of ids.
        output_mode: ``one_hot``, ``multi_hot`` or ``count``.

    Input shape:
        ``(batch,)`` or ``(batch, ids)``; ``one_hot`` takes any shape.

    Output shape:
        ``(..., num_tokens)``.

    Example:

    >>> CategoryEncoding(num_tokens=4, output_mode="multi_hot")(np.array([[0, 1], [3, 1]])).tolist()
    [[1.0, 1.0, 0.0, 0.0], [0.0, 1.0, 0.0, 1.0]]
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(num_tokens, bool) or not isinstance(num_tokens, int) or num_tokens < 1:
            raise ValueError(
                f"CategoryEncoding expected a positive integer for num_tokens. Received: num_tokens={num_tokens!r}"
            )
        encoding.check_output_mode("CategoryEncoding", output_mode, ("one_hot", "multi_hot", "count"))
        if sparse:
            raise ValueError("CategoryEncoding: lamella tensors are dense. Received: sparse=True")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    def _convert_inputs(self, inputs):
        # Ids stay integers: the layer's float compute dtype is for the output.
        from lamella.ops.core import convert_to_tensor

        return convert_to_tensor(inputs)

    def call(self, inputs, count_weights=None):
        if count_weights is not None and self.output_mode != "count":
            raise ValueError(
                f"CategoryEncoding: count_weights only apply to output_mode='count'. Received: "
                f"output_mode={self.output_mode!r}"
            )
        return encoding.encode_ids(jnp.asarray(inputs), self.output_mode, self.num_tokens, self.compute_dtype,
                                   count_weights=count_weights, xp=jnp)

    def compute_output_shape(self, input_shape):
        return encoding.encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens, "output_mode": self.output_mode,
                "sparse": False}
