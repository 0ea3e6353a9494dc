"""``Attention``: dot-product (Luong-style) attention."""

import jax.numpy as jnp

from lamella.layers.attention.base_attention import BaseAttention


class Attention(BaseAttention):
    """Dot-product attention: ``softmax(scores) · value`` over the keys.

    ``scores = query · keyᵀ`` (times a learned scalar ``scale`` with
    ``use_scale``), or with ``score_mode='concat'``
    ``scores = concat_score_weight * sum(tanh(scale * (query_i + key_j)))``. A value
    mask keeps padded keys out of the softmax, ``use_causal_mask`` keeps query ``i``
    from keys after ``i``, and a query mask zeroes the outputs of padded queries
    (and passes on as the output mask).

    Args:
        use_scale: learn a scalar that multiplies the scores.
        score_mode: ``'dot'`` or ``'concat'``.
        dropout: fraction of the attention weights dropped in training.
        seed: seed of the dropout.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: ``[query, value]`` or ``[query, value, key]``; query
            ``(batch, Tq, dim)``, value ``(batch, Tv, dim_v)``, key ``(batch, Tv,
            dim)`` (default: value).
        mask: ``[query_mask, value_mask]``, booleans ``(batch, Tq)`` and
            ``(batch, Tv)`` (either may be ``None``).
        training: whether dropout applies.
        return_attention_scores: also return the attention weights ``(batch, Tq, Tv)``.
        use_causal_mask: mask keys after each query's position.

    Input shape:
        ``[(batch, Tq, dim), (batch, Tv, dim_v)(, (batch, Tv, dim))]``.

    Output shape:
        ``(batch, Tq, dim_v)``, and the weights with ``return_attention_scores``.

    Example:

    >>> query, value = np.ones((2, 3, 4)), np.ones((2, 5, 4))
    >>> Attention()([query, value]).shape
    (2, 3, 4)
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(dropout=dropout, seed=seed, **kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                "Attention expected score_mode 'dot' or 'concat'. "
                f"Received: score_mode={score_mode!r}"
            )
        self.use_scale = bool(use_scale)
        self.score_mode = score_mode

    def build(self, input_shape):
        self._validate(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                name="concat_score_weight", shape=(), initializer="ones"
            )
        self.built = True

    def _scores(self, query, key):
        if self.score_mode == "dot":
            scores = jnp.matmul(query, jnp.swapaxes(key, -2, -1))
            return scores if self.scale is None else scores * self.scale.value
        summed = query[..., :, None, :] + key[..., None, :, :]
        if self.scale is not None:
            summed = self.scale.value * summed
        return self.concat_score_weight.value * jnp.sum(jnp.tanh(summed), axis=-1)

    def get_config(self):
        config = super().get_config()
        config.update({"use_scale": self.use_scale, "score_mode": self.score_mode})
        return config
