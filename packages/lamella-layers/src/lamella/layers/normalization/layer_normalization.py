"""``LayerNormalization``: normalizes each sample over its feature axes."""

import warnings

import jax
import jax.numpy as jnp

from lamella import constraints, initializers, regularizers
from lamella.engine.layer import Layer
from lamella.layers.normalization.batch_normalization import _positive_epsilon, statistics_dtype
from lamella.layers.utils import arguments


class LayerNormalization(Layer):
    """Normalizes each sample to zero mean and unit variance over ``axis``, then
    scales and shifts: ``gamma * (x - mean) / sqrt(variance + epsilon) + beta``.

    Unlike ``BatchNormalization``, the statistics are per sample (over the feature
    axes), so training and inference compute the same thing. ``gamma`` and
    ``beta`` have one value per position of ``axis``. Half-precision inputs are
    normalized in float32.

    Args:
        axis: the axis or axes to normalize over (default -1).
        epsilon: added to the variance (default 1e-3).
        center: whether to add ``beta``.
        scale: whether to multiply by ``gamma``.
        rms_scaling: skip centering and ``beta``: ``gamma * x / sqrt(variance +
            epsilon)``, the variance being the centered one, as Keras 3 computes it
            (and deprecates: this is not RMS normalization; kept, with a warning,
            so Keras models load and compute the same).
        beta_initializer, gamma_initializer: default ``'zeros'``, ``'ones'``.
        beta_regularizer, gamma_regularizer: regularizers.
        beta_constraint, gamma_constraint: constraints.
        **kwargs: base layer arguments.

    Input shape:
        Any.

    Output shape:
        The input's.

    Example:

    >>> out = LayerNormalization(epsilon=0.0001)(np.array([[1.0, 3.0]]))
    >>> np.round(np.asarray(out), 3).tolist()
    [[-1.0, 1.0]]
    """

    def __init__(
        self,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        rms_scaling=False,
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
        self.axis = arguments.axis_list(cls, "axis", axis)
        self.epsilon = _positive_epsilon(cls, epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.rms_scaling = bool(rms_scaling)
        if self.rms_scaling:
            warnings.warn(
                "LayerNormalization(rms_scaling=True) scales by the centered variance, "
                "not the root mean square (as in Keras 3, which deprecates it).",
                UserWarning,
                stacklevel=2,
            )
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
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
                f"Layer '{self.name}' needs known sizes on axis {self.axis} to create "
                f"its weights. Received: input_shape={input_shape}"
            )
        self.gamma = self.beta = None
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(
                name="gamma", shape=shape, initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
            )
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(
                name="beta", shape=shape, initializer=self.beta_initializer,
                regularizer=self.beta_regularizer, constraint=self.beta_constraint,
            )
        self.built = True

    def call(self, inputs):
        ndim = inputs.ndim
        axes = self._axes(ndim)
        x = inputs.astype(statistics_dtype(inputs.dtype))
        shape = [1] * ndim
        for a in axes:
            shape[a] = x.shape[a]
        mean = jnp.mean(x, axis=axes, keepdims=True)
        variance = jnp.mean(jnp.square(x - mean), axis=axes, keepdims=True)
        inverse = jax.lax.rsqrt(variance + jnp.asarray(self.epsilon, x.dtype))
        if self.rms_scaling:
            outputs = x * inverse
            if self.gamma is not None:
                outputs = outputs * self.gamma.value.astype(x.dtype).reshape(shape)
            return outputs.astype(self.compute_dtype)
        if self.gamma is not None:
            inverse = inverse * self.gamma.value.astype(x.dtype).reshape(shape)
        shift = -mean * inverse
        if self.beta is not None:
            shift = shift + self.beta.value.astype(x.dtype).reshape(shape)
        return (x * inverse + shift).astype(self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "axis": self.axis,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "rms_scaling": self.rms_scaling,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint),
            }
        )
        return config
