"""Activation functions as operations, elementwise unless an ``axis`` says otherwise.

Each takes an array-like and returns a ``jax.Array`` of the same floating dtype;
integer inputs give float32, except for the piecewise-linear ``relu`` (without a
leak), ``hard_tanh`` and ``threshold``, which keep integers as Keras does, and
``softmax`` / ``log_softmax``, which compute and return float32 for 16-bit inputs
(mixed precision: the probabilities a model outputs and a loss reads stay float32). The
formulas are Keras's (checked against Keras 3 in the tests), so ``activation='relu'``
behaves the same in lamella.
"""

import jax
import jax.numpy as jnp

from lamella.ops.core import convert_to_tensor


def _x(x):
    x = convert_to_tensor(x)
    if not jnp.issubdtype(x.dtype, jnp.floating):
        x = x.astype(jnp.float32)
    return x


def _any_numeric(x):
    # Keras keeps integer inputs integer where the formula needs no division or
    # exponential (relu without a leak, hard_tanh, threshold).
    x = convert_to_tensor(x)
    if x.dtype == jnp.bool_:
        x = x.astype(jnp.float32)
    return x


def linear(x):
    """The identity: ``linear(x) = x``."""
    return convert_to_tensor(x)


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, with optional leak, ceiling and threshold.

    ``max(x, 0)`` by default; values below ``threshold`` become
    ``negative_slope * (x - threshold)``, and outputs are capped at ``max_value``.

    Args:
        x: the input.
        negative_slope: the slope below the threshold.
        max_value: the largest output, or ``None``.
        threshold: the value below which outputs are damped.
    """
    x = _x(x) if negative_slope != 0.0 else _any_numeric(x)
    if negative_slope != 0.0 and max_value is None and threshold == 0:
        return jax.nn.leaky_relu(x, negative_slope=negative_slope)
    if negative_slope != 0.0:
        negative_part = jax.nn.relu(threshold - x) if threshold != 0 else jax.nn.relu(-x)
    clip = max_value is not None
    if threshold != 0:
        y = jnp.where(x > jnp.asarray(threshold, x.dtype), x, 0)
    elif max_value == 6:
        # relu6 as Keras computes it (it returns floats for integer inputs).
        y = jax.nn.relu6(x)
        clip = False
    else:
        y = jax.nn.relu(x)
    if clip:
        y = jnp.clip(y, 0, jnp.asarray(max_value, y.dtype))
    if negative_slope != 0.0:
        y = y - negative_slope * negative_part
    return y


def leaky_relu(x, negative_slope=0.2):
    """``x`` for ``x >= 0``, ``negative_slope * x`` otherwise."""
    return jax.nn.leaky_relu(_x(x), negative_slope=negative_slope)


def relu6(x):
    """``min(max(x, 0), 6)``."""
    return jax.nn.relu6(_x(x))


def elu(x, alpha=1.0):
    """Exponential linear unit: ``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)``."""
    return jax.nn.elu(_x(x), alpha=alpha)


def selu(x):
    """Scaled ELU: ``scale * elu(x, alpha)`` with alpha ~1.6733 and scale ~1.0507,
    the constants that keep activations at zero mean and unit variance through
    layers initialized with ``lecun_normal`` (Klambauer et al., 2017)."""
    return jax.nn.selu(_x(x))


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: ``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``."""
    return jax.nn.celu(_x(x), alpha=alpha)


def _at_least_float32(x):
    # In float16 the normalising sum loses the small probabilities (a 1000-class
    # output has most of them below float16's resolution next to the largest) and
    # exp overflows past 11; bfloat16 keeps 8 bits of mantissa. Mixed-precision
    # models therefore get float32 probabilities, which Keras 2's guide asked users
    # to arrange by hand (a float32 last layer); a following 16-bit layer casts
    # them back on entry.
    x = _x(x)
    if jnp.finfo(x.dtype).bits < 32:
        x = x.astype(jnp.float32)
    return x


def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x))`` along ``axis``: a probability distribution
    (float32 for 16-bit inputs)."""
    return jax.nn.softmax(_at_least_float32(x), axis=axis)


def log_softmax(x, axis=-1):
    """``x - logsumexp(x)`` along ``axis``: the log of ``softmax``, computed stably
    (float32 for 16-bit inputs)."""
    return jax.nn.log_softmax(_at_least_float32(x), axis=axis)


def softplus(x):
    """``log(exp(x) + 1)``, computed without overflow."""
    return jax.nn.softplus(_x(x))


def softsign(x):
    """``x / (abs(x) + 1)``."""
    x = _x(x)
    return x / (jnp.abs(x) + 1)


def squareplus(x, b=4):
    """``(x + sqrt(x**2 + b)) / 2``: a smooth ReLU with cheap gradients."""
    return jax.nn.squareplus(_x(x), b=b)


def soft_shrink(x, threshold=0.5):
    """``x - threshold`` above ``threshold``, ``x + threshold`` below ``-threshold``, else 0."""
    x = _x(x)
    return jnp.where(x > threshold, x - threshold, jnp.where(x < -threshold, x + threshold, 0))


def hard_shrink(x, threshold=0.5):
    """``x`` where ``abs(x) > threshold``, else 0."""
    x = _x(x)
    return jnp.where(jnp.abs(x) > threshold, x, 0)


def sparse_plus(x):
    """0 below -1, ``(x + 1)**2 / 4`` between -1 and 1, ``x`` above 1."""
    x = _x(x)
    return jnp.where(x <= -1, 0, jnp.where(x >= 1, x, jnp.square(x + 1) / 4))


def silu(x):
    """Sigmoid linear unit, also called swish: ``x * sigmoid(x)``."""
    return jax.nn.silu(_x(x))


swish = silu


def gelu(x, approximate=False):
    """Gaussian error linear unit: ``x * P(X <= x)`` for a standard normal ``X``.

    Args:
        x: the input.
        approximate: use the tanh approximation instead of the exact ``erf`` form.
    """
    return jax.nn.gelu(_x(x), approximate=approximate)


def glu(x, axis=-1):
    """Gated linear unit: splits ``x`` in halves ``a, b`` along ``axis``; ``a * sigmoid(b)``."""
    x = _x(x)
    if x.shape[axis] % 2:
        raise ValueError(
            "glu splits its input in two halves along axis "
            f"{axis}, so that axis must have an even size. Received: shape={x.shape}"
        )
    a, b = jnp.split(x, 2, axis=axis)
    return a * jax.nn.sigmoid(b)


def tanh(x):
    """Hyperbolic tangent."""
    return jnp.tanh(_x(x))


def tanh_shrink(x):
    """``x - tanh(x)``."""
    x = _x(x)
    return x - jnp.tanh(x)


def hard_tanh(x):
    """``clip(x, -1, 1)``."""
    return jnp.clip(_any_numeric(x), -1, 1)


def threshold(x, threshold, default_value):
    """``x`` where ``x > threshold``, else ``default_value``."""
    x = _any_numeric(x)
    return jnp.where(x > threshold, x, default_value)


def sigmoid(x):
    """``1 / (1 + exp(-x))``."""
    return jax.nn.sigmoid(_x(x))


def log_sigmoid(x):
    """``log(sigmoid(x))``, computed stably as ``-softplus(-x)``."""
    return jax.nn.log_sigmoid(_x(x))


def sparse_sigmoid(x):
    """0 below -1, 1 above 1, ``(x + 1) / 2`` between."""
    x = _x(x)
    return jnp.clip((x + 1) / 2, 0, 1)


def hard_sigmoid(x):
    """A piecewise-linear sigmoid: ``relu6(x + 3) / 6``."""
    return jax.nn.hard_sigmoid(_x(x))


def hard_silu(x):
    """``x * hard_sigmoid(x)``, also called hard swish."""
    return jax.nn.hard_silu(_x(x))


hard_swish = hard_silu


def exponential(x):
    """``exp(x)``."""
    return jnp.exp(_x(x))


def mish(x):
    """``x * tanh(softplus(x))``."""
    x = _x(x)
    return x * jnp.tanh(jax.nn.softplus(x))


def sparsemax(x, axis=-1):
    """The Euclidean projection of ``x`` onto the probability simplex along ``axis``.

    Like softmax it gives a distribution, but small inputs get exactly zero. The
    threshold is ``tau = (sum of the k largest inputs - 1) / k`` for the support size
    ``k`` (Martins & Astudillo 2016, Algorithm 1).
    """
    # Keras 3 up to 3.15 summed the cumulative sums over the support instead of
    # taking the k-th one (keras-team/keras#23425), so its outputs do not sum to 1
    # once two or more inputs are in the support; lamella keeps the paper's formula.
    x = _x(x)
    moved = jnp.moveaxis(x, axis, -1)
    # Sparsemax is shift-invariant: subtracting the maximum first keeps tau near
    # zero, so large inputs lose no precision in ``z - tau``.
    moved = moved - jax.lax.stop_gradient(jnp.max(moved, axis=-1, keepdims=True))
    z = -jnp.sort(-moved, axis=-1)
    k = jnp.arange(1, z.shape[-1] + 1, dtype=x.dtype)
    cumulative = jnp.cumsum(z, axis=-1)
    support = (1 + k * z) > cumulative
    support_size = jnp.sum(support, axis=-1, keepdims=True)
    largest_sum = jnp.take_along_axis(cumulative, support_size - 1, axis=-1)
    tau = (largest_sum - 1) / support_size.astype(x.dtype)
    return jnp.moveaxis(jnp.maximum(moved - tau, 0), -1, axis)
