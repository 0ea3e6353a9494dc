"""``GroupNormalization``: normalizes groups of channels within each sample."""

import jax
import jax.numpy as jnp

from lamella import constraints, initializers, regularizers
from lamella.engine.input_spec import InputSpec
from lamella.engine.layer import Layer
from lamella.layers.normalization.batch_normalization import _positive_epsilon, statistics_dtype
from lamella.layers.utils import arguments


class GroupNormalization(Layer):
    """Splits the channels into ``groups`` and normalizes each group of each sample
    over its channels and every other non-batch axis.

    ``output = gamma * (x - mean_g) / sqrt(variance_g + epsilon) + beta``, with
    ``gamma`` and ``beta`` per channel. With ``groups`` equal to the number of
    channels it is instance normalization; with one group, layer normalization over
    every non-batch axis. Statistics are per sample, so training and inference
    agree and the batch size does not matter.

    Args:
        groups: the number of groups (default 32); divides the number of channels.
        axis: the channels axis (default -1).
        epsilon: added to the variance (default 1e-3).
        center, scale: whether to learn ``beta`` and ``gamma``.
        beta_initializer, gamma_initializer: default ``'zeros'``, ``'ones'``.
        beta_regularizer, gamma_regularizer: regularizers.
        beta_constraint, gamma_constraint: constraints.
        **kwargs: base layer arguments.

    Input shape:
        Any rank of at least 2.

    Output shape:
        The input's.

    Example:

    >>> GroupNormalization(groups=2)(np.random.rand(2, 5, 4)).shape
    (2, 5, 4)
    """

    def __init__(
        self,
        groups=32,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        cls = type(self).__name__
        self.groups = arguments.positive_int(cls, "groups", groups)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise ValueError(f"{cls} expected an integer axis. Received: axis={axis!r}")
        self.axis = axis
        self.epsilon = _positive_epsilon(cls, epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        (axis,) = arguments.normalize_axes(type(self).__name__, "axis", self.axis, len(input_shape))
        channels = input_shape[axis]
        if channels is None:
            raise ValueError(
                f"Layer '{self.name}' needs a known size on axis {self.axis}. "
                f"Received: input_shape={input_shape}"
            )
        if channels < self.groups or channels % self.groups:
            raise ValueError(
                f"Layer '{self.name}': the number of channels ({channels}) must be a "
                f"multiple of groups={self.groups} and at least as large. Received: "
                f"input_shape={input_shape}"
            )
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                name="gamma", shape=(channels,), initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
            )
        if self.center:
            self.beta = self.add_weight(
                name="beta", shape=(channels,), initializer=self.beta_initializer,
                regularizer=self.beta_regularizer, constraint=self.beta_constraint,
            )
        self.input_spec = InputSpec(ndim=len(input_shape), axes={axis: channels})
        self.built = True

    def call(self, inputs):
        ndim = inputs.ndim
        (axis,) = arguments.normalize_axes(type(self).__name__, "axis", self.axis, ndim)
        x = inputs.astype(statistics_dtype(inputs.dtype))
        channels = x.shape[axis]
        # (..., channels, ...) -> (..., groups, channels // groups, ...)
        grouped_shape = (*x.shape[:axis], self.groups, channels // self.groups, *x.shape[axis + 1:])
        grouped = x.reshape(grouped_shape)
        reduce_axes = tuple(a for a in range(1, ndim + 1) if a != axis)
        mean = jnp.mean(grouped, axis=reduce_axes, keepdims=True)
        variance = jnp.mean(jnp.square(grouped - mean), axis=reduce_axes, keepdims=True)
        normalized = (grouped - mean) * jax.lax.rsqrt(variance + jnp.asarray(self.epsilon, x.dtype))
        outputs = normalized.reshape(x.shape)
        shape = [1] * ndim
        shape[axis] = channels
        if self.gamma is not None:
            outputs = outputs * self.gamma.value.astype(x.dtype).reshape(shape)
        if self.beta is not None:
            outputs = outputs + self.beta.value.astype(x.dtype).reshape(shape)
        return outputs.astype(self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "groups": self.groups,
                "axis": self.axis,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint),
            }
        )
        return config
