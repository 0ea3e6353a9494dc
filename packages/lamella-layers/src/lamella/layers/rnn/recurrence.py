"""The time loop shared by every recurrent layer: ``lax.scan`` over timesteps.

``recur`` runs a step function ``step(x_t, states) -> (output_t, new_states)`` over
the time axis of ``inputs``. With a mask, a masked timestep leaves the states as
they were and repeats the previous output (or emits zeros with
``zero_output_for_mask``), which is Keras's rule, so that padding at either end of
a sequence does not change the result. The loop is one ``lax.scan`` (one compiled
step body for any sequence length); ``unroll=True`` unrolls it completely, which
can be faster for short sequences.
"""

import jax
import jax.numpy as jnp


def _expand(keep, like):
    """``keep`` (batch,) broadcast against ``like`` (batch, ...)."""
    return keep.reshape(keep.shape + (1,) * (like.ndim - 1))


def recur(
    step,
    inputs,
    initial_states,
    initial_output,
    mask=None,
    go_backwards=False,
    unroll=False,
    zero_output_for_mask=False,
    return_sequences=True,
):
    """Runs ``step`` over the time axis (axis 1) of ``inputs``.

    Args:
        step: ``step(x_t, states) -> (output_t, new_states)``; ``states`` is a
            pytree of ``(batch, ...)`` arrays, returned with the same structure.
        inputs: ``(batch, timesteps, ...)``.
        initial_states: the states before the first timestep.
        initial_output: what a masked first timestep outputs (``(batch, ...)``).
        mask: ``(batch, timesteps)`` booleans, ``True`` for real timesteps.
        go_backwards: process the sequence from its last timestep to its first;
            the outputs are then in processing order (reversed), as in Keras.
        unroll: unroll the loop instead of a rolled ``lax.scan``.
        zero_output_for_mask: masked timesteps output zeros instead of repeating
            the previous output.
        return_sequences: whether to collect every timestep's output.

    Returns:
        ``(last_output, outputs, final_states)``; ``outputs`` is
        ``(batch, timesteps, ...)`` or ``None`` without ``return_sequences``.
    """
    xs = jnp.swapaxes(inputs, 0, 1)
    if mask is not None:
        mask = jnp.swapaxes(jnp.asarray(mask).astype(bool), 0, 1)
        xs = (xs, mask)
    if go_backwards:
        xs = jax.tree.map(lambda a: jnp.flip(a, axis=0), xs)

    def body(carry, x):
        states, previous = carry
        if mask is None:
            output, new_states = step(x, states)
        else:
            x, keep = x
            output, new_states = step(x, states)
            fill = jnp.zeros_like(output) if zero_output_for_mask else previous
            output = jnp.where(_expand(keep, output), output, fill)
            new_states = jax.tree.map(
                lambda new, old: jnp.where(_expand(keep, new), new, old), new_states, states
            )
        return (new_states, output), (output if return_sequences else None)

    length = jax.tree.leaves(xs)[0].shape[0]
    (final_states, last_output), outputs = jax.lax.scan(
        body, (initial_states, initial_output), xs, unroll=length if unroll else 1
    )
    if return_sequences:
        outputs = jnp.swapaxes(outputs, 0, 1)
    return last_output, outputs, final_states
