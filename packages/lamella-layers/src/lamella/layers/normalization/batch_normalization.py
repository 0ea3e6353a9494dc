"""``BatchNormalization``: normalizes with batch statistics, tracks moving ones."""

import numbers

import jax
import jax.numpy as jnp

from lamella import constraints, initializers, regularizers
from lamella.engine.input_spec import InputSpec
from lamella.engine.layer import Layer
from lamella.layers.utils import arguments


def statistics_dtype(dtype):
    """float32 for half-precision inputs (their range is too small for sums of
    squares), the input's own dtype otherwise."""
    return jnp.promote_types(dtype, jnp.float32)


class BatchNormalization(Layer):
    """Normalizes each feature with the statistics of the batch while training, and
    with moving averages of them at inference.

    ``output = gamma * (x - mean) / sqrt(variance + epsilon) + beta``, where, for each
    index of ``axis`` (the features), ``mean`` and ``variance`` are:

    - in training (``fit``, or a call with ``training=True`` on a trainable
      layer): the mean and (biased) variance of the batch over every other axis,
      and the moving statistics are updated as
      ``moving = moving * momentum + batch_statistic * (1 - momentum)``;
    - otherwise (``predict``, ``evaluate``, a frozen layer): ``moving_mean`` and
      ``moving_variance``.

    The moving statistics are non-trainable variables: inside a compiled training
    step their new values are part of the step's output state, so ``fit`` updates
    them without leaving the device. Half-precision inputs are normalized in
    float32. Setting ``trainable = False`` runs the layer in inference mode, as
    in Keras (the usual choice when fine-tuning).

    Args:
        axis: the features axis (or a list of axes), default -1 (channels last;
            use 1 after ``channels_first`` convolutions).
        momentum: the moving averages' momentum, in [0, 1] (default 0.99).
        epsilon: added to the variance before the square root (default 1e-3).
        center: whether to add the learned offset ``beta``.
        scale: whether to multiply by the learned ``gamma`` (turn off when the next
            layer is linear, e.g. before a ReLU-free Dense).
        beta_initializer, gamma_initializer: default ``'zeros'``, ``'ones'``.
        moving_mean_initializer, moving_variance_initializer: default ``'zeros'``,
            ``'ones'``.
        beta_regularizer, gamma_regularizer: regularizers.
        beta_constraint, gamma_constraint: constraints.
        synchronized: statistics over the whole batch under data parallelism. In a
            jax program whose batch is sharded over devices, a mean over the batch
            axis is already the global one, so this changes nothing; it is accepted
            and recorded for Keras compatibility.
        renorm, renorm_clipping, renorm_momentum: Keras' batch renormalization
            arguments, accepted so Keras configs load; only ``renorm=False`` is
            available (``True`` raises).
        **kwargs: base layer arguments.

    Call arguments:
        inputs: a tensor of any rank.
        training: whether to use (and update) batch statistics.
        mask: optional, of the input's shape without its last axis; masked positions
            do not count in the batch statistics.

    Input shape:
        Any.

    Output shape:
        The input's.

    Example:

    >>> layer = BatchNormalization()
    >>> out = layer(np.array([[0.0], [2.0]]), training=True)
    >>> np.round(np.asarray(out), 3).ravel().tolist()
    [-1.0, 1.0]
    """

    # In training, each sample's output depends on the others (batch statistics):
    # wrappers that fold axes into the batch (TimeDistributed) must not fold here.
    mixes_samples_in_training = True

    def __init__(
        self,
        axis=-1,
        momentum=0.99,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        synchronized=False,
        renorm=False,
        renorm_clipping=None,
        renorm_momentum=0.99,
        **kwargs,
    ):
        super().__init__(**kwargs)
        cls = type(self).__name__
        if renorm:
            raise ValueError(
                f"{cls}(renorm=True): batch renormalization is not available in lamella; "
                "renorm=False (the default) is. Received: renorm=True"
            )
        self.axis = arguments.axis_list(cls, "axis", axis)
        if isinstance(momentum, bool) or not isinstance(momentum, numbers.Real) or not 0 <= momentum <= 1:
            raise ValueError(f"{cls} expected momentum in [0, 1]. Received: momentum={momentum!r}")
        self.momentum = float(momentum)
        self.epsilon = _positive_epsilon(cls, epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.synchronized = bool(synchronized)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def _axes(self, ndim):
        axes = (self.axis,) if isinstance(self.axis, int) else self.axis
        return arguments.normalize_axes(type(self).__name__, "axis", axes, ndim)

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        axes = self._axes(len(input_shape))
        shape = tuple(input_shape[a] for a in axes)
        if any(d is None for d in shape):
            raise ValueError(
                f"Layer '{self.name}' needs a known size on axis {self.axis} to create "
                f"its weights. Received: input_shape={input_shape}"
            )
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                name="gamma", shape=shape, initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
            )
        if self.center:
            self.beta = self.add_weight(
                name="beta", shape=shape, initializer=self.beta_initializer,
                regularizer=self.beta_regularizer, constraint=self.beta_constraint,
            )
        # Not autocast: mixed-precision layers keep float32 statistics.
        self.moving_mean = self.add_weight(
            name="moving_mean", shape=shape, initializer=self.moving_mean_initializer,
            trainable=False, autocast=False,
        )
        self.moving_variance = self.add_weight(
            name="moving_variance", shape=shape, initializer=self.moving_variance_initializer,
            trainable=False, autocast=False,
        )
        self.input_spec = InputSpec(
            ndim=len(input_shape), axes={a: input_shape[a] for a in axes}
        )
        self.built = True

    def _broadcast(self, value, ndim, axes):
        shape = [1] * ndim
        for a, size in zip(axes, value.shape):
            shape[a] = size
        return value.reshape(shape)

    def _moments(self, x, reduce_axes, mask):
        if mask is None:
            mean = jnp.mean(x, axis=reduce_axes, keepdims=True)
            variance = jnp.mean(jnp.square(x - mean), axis=reduce_axes, keepdims=True)
            return mean, variance
        if mask.ndim != x.ndim - 1:
            raise ValueError(
                f"Layer '{self.name}': the mask must have one axis less than the inputs. "
                f"Received: mask.shape={tuple(mask.shape)}, inputs.shape={tuple(x.shape)}"
            )
        weights = jnp.broadcast_to(jnp.asarray(mask, x.dtype)[..., None], x.shape)
        count = jnp.sum(weights, axis=reduce_axes, keepdims=True)
        count = jnp.maximum(count, jnp.asarray(1, x.dtype))
        mean = jnp.sum(x * weights, axis=reduce_axes, keepdims=True) / count
        variance = jnp.sum(jnp.square(x - mean) * weights, axis=reduce_axes, keepdims=True) / count
        return mean, variance

    def call(self, inputs, training=None, mask=None):
        ndim = inputs.ndim
        axes = self._axes(ndim)
        x = inputs.astype(statistics_dtype(inputs.dtype))
        if training and self.trainable:
            reduce_axes = tuple(a for a in range(ndim) if a not in axes)
            mean, variance = self._moments(x, reduce_axes, mask)
            mean, variance = mean.reshape(self.moving_mean.shape), variance.reshape(self.moving_mean.shape)
            momentum = jnp.asarray(self.momentum, self.moving_mean.dtype)
            self.moving_mean.assign(
                self.moving_mean.value * momentum + mean.astype(momentum.dtype) * (1 - momentum)
            )
            self.moving_variance.assign(
                self.moving_variance.value * momentum + variance.astype(momentum.dtype) * (1 - momentum)
            )
        else:
            mean = self.moving_mean.value.astype(x.dtype)
            variance = self.moving_variance.value.astype(x.dtype)
        # One multiply-add per element: x * (gamma / std) + (beta - mean * gamma / std).
        inverse = jax.lax.rsqrt(variance + jnp.asarray(self.epsilon, x.dtype))
        if self.gamma is not None:
            inverse = inverse * self.gamma.value.astype(x.dtype)
        shift = -mean * inverse
        if self.beta is not None:
            shift = shift + self.beta.value.astype(x.dtype)
        outputs = x * self._broadcast(inverse, ndim, axes) + self._broadcast(shift, ndim, axes)
        return outputs.astype(self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "axis": self.axis,
                "momentum": self.momentum,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint),
                "synchronized": self.synchronized,
            }
        )
        return config


def _positive_epsilon(cls, epsilon):
    if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real) or not epsilon > 0:
        raise ValueError(f"{cls} expected a positive number for epsilon. Received: epsilon={epsilon!r}")
    return float(epsilon)
