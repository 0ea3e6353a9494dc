"""The CTC loss (Graves et al., 2006): the negative log-likelihood of a label
sequence under per-frame class scores, summed over every alignment of the labels to
the frames (with blanks between and repeats collapsed)."""

import jax
import jax.numpy as jnp

from lamella.losses._utils import FunctionLoss
from lamella.ops.core import convert_to_tensor

# log(0) stand-in for unreachable states: finite, so that logaddexp and its
# gradient stay finite (log(0) = -inf gives NaN gradients).
_LOG_ZERO = -1e30


def ctc_negative_log_likelihood(labels, logits, label_length, logit_length=None, blank=0):
    """Per-sample CTC loss by the forward algorithm, in log space on the device.

    Args:
        labels: integers ``(batch, max_label_length)``, padded after
            ``label_length``.
        logits: unnormalized scores ``(batch, frames, classes)``.
        label_length: ``(batch,)`` numbers of labels.
        logit_length: ``(batch,)`` numbers of valid frames (default: all).
        blank: the index of the blank class.

    Returns:
        ``(batch,)`` losses, in the logits' float dtype (computed in at least
        float32).
    """
    logits = convert_to_tensor(logits)
    out_dtype = logits.dtype
    log_probs = jax.nn.log_softmax(logits.astype(jnp.promote_types(logits.dtype, jnp.float32)), axis=-1)
    labels = convert_to_tensor(labels).astype(jnp.int32)
    label_length = convert_to_tensor(label_length).astype(jnp.int32)
    batch, frames, _ = log_probs.shape
    states = 2 * labels.shape[1] + 1
    # The extended sequence: blank, l1, blank, l2, ..., blank.
    extended = jnp.full((batch, states), blank, jnp.int32).at[:, 1::2].set(labels)
    emissions = jnp.take_along_axis(log_probs, jnp.broadcast_to(extended[:, None, :], (batch, frames, states)), axis=2)
    emissions = jnp.moveaxis(emissions, 1, 0)  # (frames, batch, states)
    # A state may be reached from two back when it is a label differing from the
    # label before the blank between them.
    can_skip = jnp.zeros((batch, states), bool).at[:, 2:].set(
        (extended[:, 2:] != blank) & (extended[:, 2:] != extended[:, :-2])
    )
    log_zero = jnp.asarray(_LOG_ZERO, log_probs.dtype)
    start = jnp.full((batch, states), log_zero).at[:, :2].set(emissions[0, :, :2])

    def shifted(alpha, by):
        return jnp.concatenate([jnp.full((batch, by), log_zero), alpha[:, :-by]], axis=1)

    def step(alpha, inputs):
        emission, frame = inputs
        two_back = jnp.where(can_skip, shifted(alpha, 2), log_zero)
        new = jnp.logaddexp(jnp.logaddexp(alpha, shifted(alpha, 1)), two_back) + emission
        if logit_length is not None:
            new = jnp.where((frame < logit_length)[:, None], new, alpha)
        return new, None

    if logit_length is not None:
        logit_length = convert_to_tensor(logit_length).astype(jnp.int32)
    alpha, _ = jax.lax.scan(step, start, (emissions[1:], jnp.arange(1, frames)))
    last = jnp.take_along_axis(alpha, (2 * label_length)[:, None], axis=1)[:, 0]
    before = jnp.take_along_axis(alpha, jnp.maximum(2 * label_length - 1, 0)[:, None], axis=1)[:, 0]
    before = jnp.where(label_length > 0, before, log_zero)
    return (-jnp.logaddexp(last, before)).astype(out_dtype)


def ctc(y_true, y_pred):
    """The CTC loss of integer label sequences under per-frame logits.

    Args:
        y_true: ``(batch, max_length)`` integer labels; 0 is the blank and pads the
            end of shorter sequences, so real classes start at 1.
        y_pred: ``(batch, frames, classes)`` logits (not softmax-normalized).

    Returns:
        ``(batch,)`` losses.
    """
    y_true = convert_to_tensor(y_true)
    y_pred = convert_to_tensor(y_pred)
    if y_true.ndim != 2:
        raise ValueError(
            "ctc expected integer targets of shape (batch_size, max_length). "
            f"Received: y_true.shape={y_true.shape}"
        )
    if y_pred.ndim != 3:
        raise ValueError(
            "ctc expected logits of shape (batch_size, frames, num_classes). "
            f"Received: y_pred.shape={y_pred.shape}"
        )
    if not jnp.issubdtype(y_pred.dtype, jnp.floating):
        y_pred = y_pred.astype(jnp.float32)
    label_length = jnp.sum(y_true != 0, axis=-1)
    return ctc_negative_log_likelihood(y_true, y_pred, label_length, blank=0)


class CTC(FunctionLoss):
    """The CTC loss (see ``ctc``), for sequence models whose outputs are not aligned
    with their targets (speech, handwriting).

    Args:
        reduction, name, dtype: see ``Loss``.

    Example:
        >>> CTC()(labels, logits)  # labels: (batch, max_length), logits: (batch, frames, classes)
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, reduction=reduction, name=name, dtype=dtype)

    def call(self, y_true, y_pred):
        # Targets and logits differ in rank by design: no rank alignment.
        return ctc(y_true, y_pred)
