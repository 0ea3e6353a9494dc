"""``BaseAttention``: what Attention and AdditiveAttention share.

Both score each query against each key, mask the scores, take a softmax over the
keys and average the values with those weights; they differ only in the score.
"""

import jax
import jax.numpy as jnp

from lamella import ops
from lamella.engine.layer import Layer
from lamella.engine.symbolic_tensor import SymbolicTensor
from lamella.layers.rnn.arguments import check_rate
from lamella.random.seed_generator import SeedGenerator


def causal_mask(query_length, key_length):
    """``(1, Tq, Tv)`` booleans: query ``i`` may attend to keys ``j <= i``."""
    rows = jnp.arange(query_length)[:, None]
    cols = jnp.arange(key_length)[None, :]
    return (rows >= cols)[None]


def masked_softmax(scores, mask):
    """Softmax over the last axis with ``mask == False`` positions pushed out.

    The masked scores are lowered by a large constant (not set to -inf), so a row
    without any allowed key stays finite, as in Keras.
    """
    if mask is not None:
        big = 65504.0 if scores.dtype == jnp.float16 else 1.0e9
        scores = jnp.where(mask, scores, scores - jnp.asarray(big, scores.dtype))
    return attention_softmax(scores)


def attention_softmax(scores):
    """Softmax over the keys, normalised in float32 (``ops.softmax``) and returned in
    the scores' dtype, so that under mixed precision the weighted sum of the values
    stays a low-precision matrix product."""
    return ops.softmax(scores, axis=-1).astype(scores.dtype)


class BaseAttention(Layer):
    """Base of the dot-product and additive attention layers."""

    def __init__(self, dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.dropout = check_rate(type(self).__name__, "dropout", dropout)
        self.seed = seed
        if self.dropout:
            self.seed_generator = SeedGenerator(seed, name=f"{self.name}_seed")
        self.supports_masking = True

    def _validate(self, inputs, mask=None):
        name = type(self).__name__
        if not isinstance(inputs, list | tuple):
            raise ValueError(
                f"{name} layer must be called on a list of inputs, namely [query, value] "
                f"or [query, value, key]. Received: inputs={inputs!r}"
            )
        if not 2 <= len(inputs) <= 3:
            raise ValueError(
                f"{name} layer accepts a list of 2 or 3 inputs, namely [query, value] or "
                f"[query, value, key]. Received a list of {len(inputs)}."
            )
        if mask is not None and (not isinstance(mask, list | tuple) or not 2 <= len(mask) <= 3):
            raise ValueError(
                f"{name} layer mask must be a list [query_mask, value_mask]. "
                f"Received: mask={mask!r}"
            )

    def _scores(self, query, key):
        raise NotImplementedError  # each subclass defines its score

    def call(self, inputs, mask=None, training=False, return_attention_scores=False,
             use_causal_mask=False):
        self._validate(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask[0] if mask is not None else None
        value_mask = mask[1] if mask is not None else None
        scores = self._scores(query, key)
        scores_mask = None if value_mask is None else jnp.asarray(value_mask, bool)[..., None, :]
        if use_causal_mask:
            causal = causal_mask(scores.shape[-2], scores.shape[-1])
            scores_mask = causal if scores_mask is None else scores_mask & causal
        weights = masked_softmax(scores, scores_mask)
        if training and self.dropout:
            keep = 1.0 - self.dropout
            kept = jax.random.bernoulli(self.seed_generator.next(), keep, weights.shape)
            weights = jnp.where(kept, weights / jnp.asarray(keep, weights.dtype), 0.0)
        outputs = jnp.matmul(weights, value)
        if query_mask is not None:
            outputs = jnp.where(jnp.asarray(query_mask, bool)[..., None], outputs, 0.0)
        if return_attention_scores:
            return outputs, weights
        return outputs

    def compute_mask(self, inputs, mask=None):
        self._validate(inputs, mask)
        return None if mask is None or mask[0] is None else jnp.asarray(mask[0])

    def compute_output_shape(self, input_shape):
        query_shape, value_shape = tuple(input_shape[0]), tuple(input_shape[1])
        return (*query_shape[:-1], value_shape[-1])

    def compute_output_spec(self, inputs, mask=None, training=None,
                            return_attention_scores=False, use_causal_mask=False):
        self._validate(inputs, mask)
        shapes = [tuple(x.shape) for x in inputs]
        output = SymbolicTensor(self.compute_output_shape(shapes), self.compute_dtype)
        if not return_attention_scores:
            return output
        key_shape = shapes[2] if len(shapes) > 2 else shapes[1]
        return output, SymbolicTensor((*shapes[0][:-1], key_shape[-2]), self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"dropout": self.dropout, "seed": self.seed})
        return config
