"""The parts of an optimizer step shared by every optimizer: gradient clipping,
gradient accumulation and the moving average of the weights.

Functions of the optimizer, called by ``Optimizer.apply``; each runs inside the
compiled step, so decisions on values are ``where`` selects, never Python ``if``s.
"""

import warnings

import jax.numpy as jnp


def clip_gradients(gradients, clipnorm=None, clipvalue=None, global_clipnorm=None):
    """Gradients clipped by one of the three rules (0 or ``None`` means no clipping,
    as in Keras)."""
    if clipnorm:
        return [clip_by_norm(g, clipnorm) for g in gradients]
    if global_clipnorm:
        norm = jnp.sqrt(sum(jnp.sum(jnp.square(g.astype(jnp.float32))) for g in gradients))
        # min(1/norm, 1/clip) is 1/clip for a zero norm; adding (norm - norm)
        # turns the scale into NaN for an infinite or NaN norm, so a diverged
        # step shows as NaN instead of as a silent zero step.
        scale = global_clipnorm * jnp.minimum(1.0 / norm, 1.0 / global_clipnorm) + (norm - norm)
        return [g * scale.astype(g.dtype) for g in gradients]
    if clipvalue:
        return [jnp.clip(g, -clipvalue, clipvalue) for g in gradients]
    return gradients


def clip_by_norm(gradient, clipnorm):
    norm = jnp.sqrt(jnp.sum(jnp.square(gradient)))
    return gradient * clipnorm / jnp.maximum(norm, clipnorm)


def accumulate_and_update(optimizer, gradients, variables):
    """``optimizer``'s update with gradient accumulation (see ``Optimizer``)."""
    # Every call computes the update and keeps it only on every last call of an
    # accumulation (a select on the device, so one compiled step serves all
    # calls); the others restore the weights and slots and add to the sums.
    steps = optimizer.gradient_accumulation_steps
    is_update = (optimizer._iterations.value + 1) % steps == 0
    accumulators = [optimizer._accumulators[optimizer._get_variable_index(v)] for v in variables]
    sums = [a.value for a in accumulators]
    weights_before = [v.value for v in variables]
    state_before = [v.value for v in optimizer._variables]
    mean = [jnp.where(is_update, (g + s) / steps, g) for g, s in zip(gradients, sums)]
    optimizer._update(mean, variables)
    for variable, before in zip(variables, weights_before):
        variable.assign(jnp.where(is_update, variable.value, before))
    for variable, before in zip(optimizer._variables, state_before):
        variable.assign(jnp.where(is_update, variable.value, before))
    for accumulator, gradient, total in zip(accumulators, gradients, sums):
        accumulator.assign(jnp.where(is_update, jnp.zeros_like(total), total + gradient.astype(total.dtype)))


def update_moving_averages(optimizer):
    """The exponential moving averages of the weights, one step on (``use_ema``)."""
    updates = optimizer._update_count()
    not_first = updates != 0
    for variable, average in zip(optimizer._trainable_variables, optimizer._averages):
        momentum = not_first.astype(variable.dtype) * jnp.asarray(optimizer.ema_momentum, variable.dtype)
        average.assign(momentum * average.value + (1 - momentum) * variable.value)
    if optimizer.ema_overwrite_frequency:
        overwrite = (updates + 1) % optimizer.ema_overwrite_frequency == 0
        for variable, average in zip(optimizer._trainable_variables, optimizer._averages):
            variable.assign(jnp.where(overwrite, average.value, variable.value))


def pair_gradients(optimizer, gradients, variables):
    """The gradients (as arrays) and their variables, checked, without the pairs
    whose gradient is ``None`` (with a warning); builds the optimizer if needed."""
    owner = type(optimizer).__name__
    if variables is None:
        if not optimizer.built:
            raise ValueError(
                f"{owner}.apply received gradients without variables before it "
                "was built: pass the variables, or call build(variables) first."
            )
        variables = optimizer._trainable_variables
    else:
        variables = list(variables)
        if not optimizer.built:
            optimizer.build(variables)
        optimizer._check_variables_are_known(variables)
    if len(gradients) != len(variables):
        raise ValueError(
            f"{owner} received {len(gradients)} gradients for "
            f"{len(variables)} variables."
        )
    missing = [v for g, v in zip(gradients, variables) if g is None]
    if missing:
        if len(missing) == len(variables):
            raise ValueError(f"{owner} received no gradient for any variable.")
        warnings.warn(
            f"{owner} received no gradient for the variables "
            f"{[getattr(v, 'path', v) for v in missing]}; they are left unchanged.",
            stacklevel=4,
        )
        pairs = [(g, v) for g, v in zip(gradients, variables) if g is not None]
        gradients, variables = [g for g, _ in pairs], [v for _, v in pairs]
    return [jnp.asarray(g) for g in gradients], variables
