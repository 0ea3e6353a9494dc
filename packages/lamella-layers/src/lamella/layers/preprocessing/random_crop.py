"""``RandomCrop``: a random ``height`` x ``width`` window of each image."""

import jax
import jax.numpy as jnp

from lamella.layers.preprocessing import image_ops
from lamella.layers.preprocessing.random_image_layer import RandomImageLayer


class RandomCrop(RandomImageLayer):
    """During training, cuts a window of ``(height, width)`` at a random place in
    each image (one place per image; Keras draws one per batch); at inference (and
    for images smaller than the window) it crops the centre to the window's aspect
    ratio and resizes, as Keras documents (Keras 3.15's code returns the images
    unchanged at inference, so the output shape would differ from training's).

    Args:
        height, width: the output size.
        seed: an integer for reproducible crops.
        data_format: ``channels_last`` or ``channels_first``.

    Input shape:
        ``(batch, height, width, channels)`` or one image.

    Output shape:
        ``(batch, height, width, channels)`` with the target size.

    Example:

    >>> RandomCrop(2, 3, seed=0)(np.ones((4, 5, 6, 3))).shape
    (4, 2, 3, 3)
    """

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        image_ops.check_size("RandomCrop", "height", height)
        image_ops.check_size("RandomCrop", "width", width)
        self.height, self.width = height, width

    def inference(self, inputs):
        return image_ops.resize(inputs, self.height, self.width, "bilinear", self.data_format,
                                crop_to_aspect_ratio=True).astype(self.compute_dtype)

    def augment(self, images, key):
        height, width = images.shape[1], images.shape[2]
        if height < self.height or width < self.width:
            return image_ops.resize(images, self.height, self.width, "bilinear", "channels_last",
                                    crop_to_aspect_ratio=True).astype(images.dtype)
        row_key, col_key = jax.random.split(key)
        batch = images.shape[0]
        tops = jax.random.randint(row_key, (batch,), 0, height - self.height + 1)
        lefts = jax.random.randint(col_key, (batch,), 0, width - self.width + 1)

        def crop(image, top, left):
            return jax.lax.dynamic_slice(image, (top, left, 0), (self.height, self.width, image.shape[-1]))

        return jax.vmap(crop)(images, tops, lefts)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        rank = len(shape)
        h, w = (rank - 3, rank - 2) if self.data_format == "channels_last" else (rank - 2, rank - 1)
        shape[h], shape[w] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
