"""``DropoutRNNCell``: dropout on a recurrent cell's inputs and recurrent state.

Recurrent dropout drops the same units at every timestep of a sequence (Gal and
Ghahramani's variational dropout, as in Keras): the masks are drawn once per call of
the recurrent layer, before its time loop, and the loop reuses them. Drawing them
inside the loop would give each timestep its own mask and thread the random state
through the ``lax.scan`` carry.

Gated cells draw one mask per gate where Keras 3 does (``dropout_gates``): each
gate's projection sees its own copy of the dropped input or state. That is LSTM
and GRU with ``recurrent_dropout`` or ``implementation=1`` (Keras switches them to
implementation 1, which drops per gate), and ConvLSTM always; otherwise one mask
serves every gate and the fused projection stays a single product.
"""

import jax
import jax.numpy as jnp

from lamella.layers.rnn.arguments import check_rate
from lamella.random.seed_generator import SeedGenerator


class DropoutRNNCell:
    """Mixed into cells that support ``dropout`` and ``recurrent_dropout``.

    The cell calls ``_init_dropout`` in ``__init__`` and applies
    ``_drop_inputs`` / ``_drop_state`` in ``call``; the recurrent layer calls
    ``prepare_dropout`` before the loop and ``clear_dropout`` after it.
    """

    def _init_dropout(self, dropout, recurrent_dropout, seed):
        name = type(self).__name__
        self.dropout = check_rate(name, "dropout", dropout)
        self.recurrent_dropout = check_rate(name, "recurrent_dropout", recurrent_dropout)
        self.seed = seed
        if self.dropout or self.recurrent_dropout:
            self.seed_generator = SeedGenerator(seed, name=f"{self.name}_seed")
        self._dropout_masks = None

    # The number of gates that draw masks of their own (None: one shared mask).
    dropout_gates = None

    def _draw(self, rate, shape, dtype):
        keep = 1.0 - rate
        kept = jax.random.bernoulli(self.seed_generator.next(), keep, shape)
        return kept.astype(dtype) / jnp.asarray(keep, dtype)

    def prepare_dropout(self, input_shape, state_shape, dtype, training):
        """Draws this sequence's masks for step inputs of ``input_shape`` and a
        state of ``state_shape`` (``None`` each when not training or rate 0)."""
        input_mask = state_mask = None
        gates = () if self.dropout_gates is None else (self.dropout_gates,)
        if training and self.dropout:
            input_mask = self._draw(self.dropout, (*gates, *input_shape), dtype)
        if training and self.recurrent_dropout:
            state_mask = self._draw(self.recurrent_dropout, (*gates, *state_shape), dtype)
        self._dropout_masks = (input_mask, state_mask)

    def clear_dropout(self):
        self._dropout_masks = None

    def _drop(self, index, rate, x, training):
        """``x`` dropped: an array, or with per-gate masks a list of one dropped
        copy per gate (``gate_product`` takes either)."""
        if self._dropout_masks is not None:
            mask = self._dropout_masks[index]
        elif training and rate:
            # Called on its own, outside a recurrent layer: masks for this call.
            gates = () if self.dropout_gates is None else (self.dropout_gates,)
            mask = self._draw(rate, (*gates, *x.shape), x.dtype)
        else:
            mask = None
        if mask is None:
            return x
        if mask.ndim > x.ndim:
            return [x * m for m in mask]
        return x * mask

    def _drop_inputs(self, inputs, training):
        return self._drop(0, self.dropout, inputs, training)

    def _drop_state(self, state, training):
        return self._drop(1, self.recurrent_dropout, state, training)


def gate_product(x, kernel, product, axis=-1):
    """``product(x, kernel)`` for an input ``x`` from ``_drop``: with per-gate copies
    (a list), copy ``g`` meets gate ``g``'s slice of the kernel's last axis and the
    results are concatenated along ``axis`` (the output's feature axis)."""
    if not isinstance(x, list):
        return product(x, kernel)
    parts = jnp.split(kernel, len(x), axis=-1)
    return jnp.concatenate([product(xg, kg) for xg, kg in zip(x, parts)], axis=axis)
