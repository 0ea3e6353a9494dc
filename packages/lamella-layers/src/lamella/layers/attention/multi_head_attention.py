"""``MultiHeadAttention``: scaled dot-product attention over several learned heads."""

import math

import jax
import jax.numpy as jnp

from lamella import constraints, initializers, regularizers
from lamella.engine.layer import Layer
from lamella.engine.symbolic_tensor import SymbolicTensor
from lamella.layers.attention.base_attention import attention_softmax, causal_mask
from lamella.layers.rnn.arguments import check_rate, check_units
from lamella.random.seed_generator import SeedGenerator


class MultiHeadAttention(Layer):
    """Multi-head attention (Vaswani et al., 2017).

    Each of ``num_heads`` heads projects the query, key and value
    (``q = query · W_q + b_q`` of size ``key_dim``, likewise ``k`` and ``v`` of size
    ``value_dim``), computes ``softmax(q · kᵀ / sqrt(key_dim)) · v`` over the
    attention axes, and an output projection maps the heads' concatenation back to
    the query's last size (or ``output_shape``).

    Masks: a query mask, a value (and key) mask, ``use_causal_mask`` and an explicit
    ``attention_mask`` ``(batch, Tq, Tv)`` are combined; masked scores are set
    to -1e9 before the softmax and their weights to zero after it. A mask propagated to the query (from
    ``Embedding(mask_zero=True)`` or ``Masking``) is the query mask, and also the
    value's when the value is the query (self-attention); for cross-attention pass
    ``value_mask`` explicitly.

    Weights are Keras's, in its order: query, key, value and output kernels and
    biases, kernels ``(dim, num_heads, key_dim)`` (``value_dim`` for the value) and
    ``(num_heads, value_dim, output_dim)``.

    Args:
        num_heads: the number of heads, a positive integer.
        key_dim: the size of each head for query and key.
        value_dim: the size of each head for the value (default ``key_dim``).
        dropout: fraction of the attention weights dropped in training.
        use_bias: whether the projections have biases.
        output_shape: the size (or shape) of the output's last axes; default the
            query's last size.
        attention_axes: the axes attention runs over (default: every axis between
            the batch and the features, for sequences the time axis).
        kernel_initializer, bias_initializer: initializers of the projections.
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints.
        seed: seed of the dropout.
        **kwargs: base layer arguments.

    Call arguments:
        query: ``(batch, Tq, dim)``.
        value: ``(batch, Tv, dim_v)``.
        key: ``(batch, Tv, dim_k)``; default ``value``.
        query_mask, value_mask, key_mask: booleans ``(batch, Tq)`` / ``(batch, Tv)``.
        attention_mask: booleans ``(batch, Tq, Tv)``: which keys each query sees.
        return_attention_scores: also return the weights ``(batch, heads, Tq, Tv)``.
        training: whether dropout applies.
        use_causal_mask: query ``i`` attends to keys ``j <= i`` only.

    Input shape:
        query ``(batch, Tq, dim)``, value ``(batch, Tv, dim_v)``.

    Output shape:
        ``(batch, Tq, dim)`` (or ``output_shape``), and the weights with
        ``return_attention_scores``.

    Example:

    >>> layer = MultiHeadAttention(num_heads=2, key_dim=4)
    >>> x = np.ones((2, 5, 8))
    >>> layer(x, x, use_causal_mask=True).shape
    (2, 5, 8)
    """

    def __init__(
        self,
        num_heads,
        key_dim,
        value_dim=None,
        dropout=0.0,
        use_bias=True,
        output_shape=None,
        attention_axes=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        name = "MultiHeadAttention"
        self.num_heads = check_units(name, num_heads, "num_heads")
        self.key_dim = check_units(name, key_dim, "key_dim")
        self.value_dim = key_dim if value_dim is None else check_units(name, value_dim, "value_dim")
        self.dropout = check_rate(name, "dropout", dropout)
        self.use_bias = bool(use_bias)
        if output_shape is not None:
            shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
            for size in shape:
                check_units(name, size, "output_shape")
            output_shape = shape
        self._output_shape = output_shape
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        self.attention_axes = None if attention_axes is None else tuple(attention_axes)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        if self.dropout:
            self.seed_generator = SeedGenerator(seed, name=f"{self.name}_seed")
        self.supports_masking = True

    # -- building ----------------------------------------------------------------------

    def _projection(self, name, kernel_shape, bias_shape):
        kernel = self.add_weight(
            name=f"{name}_kernel", shape=kernel_shape, initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
        )
        bias = None
        if self.use_bias:
            bias = self.add_weight(
                name=f"{name}_bias", shape=bias_shape, initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint,
            )
        return kernel, bias

    def build(self, query_shape, value_shape=None, key_shape=None):
        value_shape = query_shape if value_shape is None else value_shape
        key_shape = value_shape if key_shape is None else key_shape
        heads = self.num_heads
        self._query_rank = len(query_shape)
        self.query_kernel, self.query_bias = self._projection(
            "query", (query_shape[-1], heads, self.key_dim), (heads, self.key_dim))
        self.key_kernel, self.key_bias = self._projection(
            "key", (key_shape[-1], heads, self.key_dim), (heads, self.key_dim))
        self.value_kernel, self.value_bias = self._projection(
            "value", (value_shape[-1], heads, self.value_dim), (heads, self.value_dim))
        out = self._output_shape or (query_shape[-1],)
        self.output_kernel, self.output_bias = self._projection(
            "output", (heads, self.value_dim, *out), out)
        self.built = True

    def __call__(self, query, value=None, key=None, **kwargs):
        # The weights depend on the value's and key's sizes too, which the base
        # class (building from the first argument alone) does not see.
        if not self.built:
            shape = lambda x: None if x is None else tuple(jnp.shape(x) if not hasattr(x, "shape") else x.shape)  # noqa: E731
            self.build(shape(query), shape(value), shape(key))
            self.built = True
        return super().__call__(query, value, key, **kwargs)

    # -- computing ---------------------------------------------------------------------

    def _axes(self, rank):
        """The attention axes as positive indices of a ``rank``-axis input."""
        if self.attention_axes is None:
            return tuple(range(1, rank - 1))
        axes = tuple(a % rank for a in self.attention_axes)
        if any(a in (0, rank - 1) for a in axes):
            raise ValueError(
                f"MultiHeadAttention layer '{self.name}': attention_axes must be axes "
                "between the batch axis and the feature axis. Received: "
                f"attention_axes={self.attention_axes} for inputs of rank {rank}"
            )
        return axes

    @staticmethod
    def _project(x, kernel, bias):
        y = jnp.einsum("...d,dhk->...hk", x, kernel.value)
        return y if bias is None else y + bias.value

    @staticmethod
    def _to_heads(x, axes):
        """``(B, ..., H, K)`` to ``(B, other..., H, T, K)`` with the attention axes
        flattened into ``T``."""
        rank = x.ndim - 1  # the input's rank: x has one more axis (heads)
        heads_axis, feature_axis = rank - 1, rank
        others = [a for a in range(1, rank - 1) if a not in axes]
        order = [0, *others, heads_axis, *axes, feature_axis]
        moved = jnp.transpose(x, order)
        lead = moved.shape[: 1 + len(others) + 1]
        return moved.reshape(*lead, -1, x.shape[-1]), order, moved.shape

    def _combined_mask(self, query, value, query_mask, value_mask, key_mask,
                       attention_mask, use_causal_mask, tq, tv):
        mask = None

        def both(a, b):
            return b if a is None else a & b

        if query_mask is not None:
            mask = jnp.asarray(query_mask, bool).reshape(query.shape[0], -1)[:, :, None]
        for extra in (value_mask, key_mask):
            if extra is not None:
                mask = both(mask, jnp.asarray(extra, bool).reshape(value.shape[0], -1)[:, None, :])
        if use_causal_mask:
            mask = both(mask, causal_mask(tq, tv))
        if attention_mask is not None:
            mask = both(mask, jnp.asarray(attention_mask, bool).reshape(-1, tq, tv))
        return mask

    def call(self, query, value=None, key=None, query_mask=None, value_mask=None,
             key_mask=None, attention_mask=None, return_attention_scores=False,
             training=None, use_causal_mask=False, mask=None):
        value = query if value is None else value
        if query_mask is None and mask is not None:
            query_mask = mask
            if value is query and value_mask is None:
                value_mask = mask  # self-attention: the query's padding is the value's
        key = value if key is None else key
        axes = self._axes(query.ndim)
        q = self._project(query, self.query_kernel, self.query_bias)
        k = self._project(key, self.key_kernel, self.key_bias)
        v = self._project(value, self.value_kernel, self.value_bias)
        q = q * jnp.asarray(1.0 / math.sqrt(self.key_dim), q.dtype)
        q, order, moved_shape = self._to_heads(q, axes)
        k, _, key_moved = self._to_heads(k, axes)
        v, _, _ = self._to_heads(v, axes)
        scores = jnp.einsum("...tk,...sk->...ts", q, k)
        combined = self._combined_mask(
            query, value, query_mask, value_mask, key_mask, attention_mask,
            use_causal_mask, scores.shape[-2], scores.shape[-1],
        )
        if combined is not None:
            combined = jnp.expand_dims(combined, axis=-3)
            while combined.ndim < scores.ndim:
                combined = jnp.expand_dims(combined, axis=1)
            # Masked scores become a large negative number, and their weights are
            # zeroed after the softmax, so a query that may see no key (a padded
            # query) attends to nothing: Keras 3's masked softmax.
            low = -3e4 if scores.dtype == jnp.float16 else -1e9
            scores = jnp.where(combined, scores, jnp.asarray(low, scores.dtype))
            weights = jnp.where(combined, attention_softmax(scores), 0.0)
        else:
            weights = attention_softmax(scores)
        dropped = weights
        if training and self.dropout:
            keep = 1.0 - self.dropout
            kept = jax.random.bernoulli(self.seed_generator.next(), keep, weights.shape)
            dropped = jnp.where(kept, weights / jnp.asarray(keep, weights.dtype), 0.0)
        context = jnp.einsum("...ts,...sv->...tv", dropped, v)
        # Back to (B, ..., H, V) in the query's axis order.
        context = context.reshape(*moved_shape[:-1], context.shape[-1])
        context = jnp.transpose(context, [order.index(a) for a in range(len(order))])
        out_axes = "".join("abcdefg"[: len(self._output_shape or (1,))])
        output = jnp.einsum(f"...hv,hv{out_axes}->...{out_axes}", context, self.output_kernel.value)
        if self.output_bias is not None:
            output = output + self.output_bias.value
        if return_attention_scores:
            # (B, other..., H, query attention axes..., key attention axes...).
            n = len(axes)
            shape = (*moved_shape[: -1 - n], *moved_shape[-1 - n : -1], *key_moved[-1 - n : -1])
            return output, weights.reshape(shape)
        return output

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        out = self._output_shape or (query_shape[-1],)
        return (*tuple(query_shape)[:-1], *out)

    def compute_output_spec(self, query, value=None, key=None, return_attention_scores=False,
                            **kwargs):
        value = query if value is None else value
        key = value if key is None else key
        output = SymbolicTensor(self.compute_output_shape(query.shape), self.compute_dtype)
        if not return_attention_scores:
            return output
        axes = self._axes(len(query.shape))
        other = [query.shape[a] for a in range(1, len(query.shape) - 1) if a not in axes]

        scores = (
            query.shape[0], *other, self.num_heads,
            *(query.shape[a] for a in axes), *(key.shape[a] for a in axes),
        )
        return output, SymbolicTensor(scores, self.compute_dtype)

    def compute_mask(self, inputs, mask=None):
        return mask

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_heads": self.num_heads,
                "key_dim": self.key_dim,
                "value_dim": self.value_dim,
                "dropout": self.dropout,
                "use_bias": self.use_bias,
                "output_shape": None if self._output_shape is None else list(self._output_shape),
                "attention_axes": None if self.attention_axes is None else list(self.attention_axes),
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "seed": self.seed,
            }
        )
        return config
