"""``Masking``: marks timesteps whose features all equal a padding value."""

import jax.numpy as jnp

from lamella.engine.layer import Layer


class Masking(Layer):
    """Masks the timesteps of a sequence whose every feature equals ``mask_value``.

    A timestep ``t`` of sample ``b`` is kept when ``any(inputs[b, t] != mask_value)``.
    Kept timesteps pass unchanged; masked ones become zeros, and the layer emits the
    boolean mask ``(batch, timesteps)`` for the layers downstream (recurrent layers
    skip the masked steps, attention ignores them).

    Args:
        mask_value: the padding value (default ``0.0``).
        **kwargs: base layer arguments (``name``, ``dtype``, ``input_shape``, ...).

    Input shape:
        ``(batch_size, timesteps, ..., features)``.

    Output shape:
        The input shape.

    Example:

    >>> x = np.array([[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]]])
    >>> Masking()(x).shape, Masking().compute_mask(x).tolist()
    ((1, 3, 2), [[True, False, True]])
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(mask_value, bool) or not isinstance(mask_value, int | float):
            raise ValueError(
                f"Masking expected a number for mask_value. Received: mask_value={mask_value!r}"
            )
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def _keep(self, inputs):
        return jnp.any(jnp.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)

    def call(self, inputs):
        keep = self._keep(inputs)
        return jnp.where(keep, inputs, jnp.zeros((), inputs.dtype))

    def compute_mask(self, inputs, mask=None):
        return self._keep(jnp.asarray(inputs))[..., 0]

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
