"""``RandomFlip``: flips images at random during training."""

import jax
import jax.numpy as jnp

from lamella.layers.preprocessing.random_image_layer import RandomImageLayer

MODES = ("horizontal", "vertical", "horizontal_and_vertical")


class RandomFlip(RandomImageLayer):
    """Flips each image left-right and/or top-bottom, each with probability 1/2.

    Args:
        mode: ``horizontal``, ``vertical`` or ``horizontal_and_vertical``.
        seed: an integer for reproducible flips.
        data_format: ``channels_last`` or ``channels_first``.

    Input shape:
        ``(batch, height, width, channels)`` or one image.

    Output shape:
        The input's.

    Example:

    >>> RandomFlip("horizontal", seed=1)(np.ones((2, 4, 4, 3))).shape
    (2, 4, 4, 3)
    """

    def __init__(self, mode="horizontal_and_vertical", seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if mode not in MODES:
            raise ValueError(f"RandomFlip expected mode to be one of {MODES}. Received: mode={mode!r}")
        self.mode = mode

    def augment(self, images, key):
        horizontal_key, vertical_key = jax.random.split(key)
        batch = (images.shape[0], 1, 1, 1)
        if self.mode in ("horizontal", "horizontal_and_vertical"):
            flip = jax.random.bernoulli(horizontal_key, 0.5, batch)
            images = jnp.where(flip, images[:, :, ::-1], images)
        if self.mode in ("vertical", "horizontal_and_vertical"):
            flip = jax.random.bernoulli(vertical_key, 0.5, batch)
            images = jnp.where(flip, images[:, ::-1], images)
        return images

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}
