"""``AdditiveAttention``: Bahdanau-style attention."""

import jax.numpy as jnp

from lamella.layers.attention.base_attention import BaseAttention


class AdditiveAttention(BaseAttention):
    """Additive attention (Bahdanau et al., 2015):
    ``scores[i, j] = sum(scale * tanh(query_i + key_j))``, then
    ``softmax(scores) · value`` over the keys.

    ``scale`` is a learned vector of the query's size (``use_scale=True``, the
    default) or 1. Masks and ``use_causal_mask`` work as for ``Attention``.

    Args:
        use_scale: learn the ``scale`` vector.
        dropout: fraction of the attention weights dropped in training.
        seed: seed of the dropout.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: ``[query, value]`` or ``[query, value, key]``.
        mask: ``[query_mask, value_mask]``.
        training: whether dropout applies.
        return_attention_scores: also return the attention weights.
        use_causal_mask: mask keys after each query's position.

    Input shape:
        ``[(batch, Tq, dim), (batch, Tv, dim_v)(, (batch, Tv, dim))]``.

    Output shape:
        ``(batch, Tq, dim_v)``.

    Example:

    >>> query, value = np.ones((2, 3, 4)), np.ones((2, 5, 4))
    >>> AdditiveAttention()([query, value]).shape
    (2, 3, 4)
    """

    def __init__(self, use_scale=True, dropout=0.0, seed=None, **kwargs):
        super().__init__(dropout=dropout, seed=seed, **kwargs)
        self.use_scale = bool(use_scale)

    def build(self, input_shape):
        self._validate(input_shape)
        self.scale = None
        if self.use_scale:
            dim = input_shape[0][-1]
            self.scale = self.add_weight(name="scale", shape=(dim,), initializer="glorot_uniform")
        self.built = True

    def _scores(self, query, key):
        summed = jnp.tanh(query[..., :, None, :] + key[..., None, :, :])
        if self.scale is not None:
            summed = self.scale.value * summed
        return jnp.sum(summed, axis=-1)

    def get_config(self):
        config = super().get_config()
        config["use_scale"] = self.use_scale
        return config
