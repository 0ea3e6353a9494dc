"""``Resizing``: image batches to a fixed height and width."""

from lamella.engine.layer import Layer
from lamella.layers.preprocessing import image_ops


class Resizing(Layer):
    """Resizes images to ``(height, width)`` with ``jax.image.resize``.

    With ``crop_to_aspect_ratio``, the largest centred window of the target's
    aspect ratio is cut out first (no distortion); with ``pad_to_aspect_ratio``, the
    image is padded with ``fill_value`` to that ratio first.

    Args:
        height, width: the output size.
        interpolation: ``bilinear``, ``nearest``, ``bicubic``, ``lanczos3`` or ``lanczos5``.
        crop_to_aspect_ratio, pad_to_aspect_ratio: keep the aspect ratio.
        fill_mode: ``constant`` (the padding).
        fill_value: the padding value.
        antialias: filter when downsampling.
        data_format: ``channels_last`` or ``channels_first``.

    Input shape:
        ``(batch, height, width, channels)`` or one image (channels last).

    Output shape:
        ``(batch, height, width, channels)`` with the new size.

    Example:

    >>> Resizing(2, 2)(np.ones((1, 4, 4, 3))).shape
    (1, 2, 2, 3)
    """

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                 fill_mode="constant", fill_value=0.0, antialias=False, data_format=None, **kwargs):
        super().__init__(**kwargs)
        image_ops.check_size("Resizing", "height", height)
        image_ops.check_size("Resizing", "width", width)
        if interpolation not in image_ops.INTERPOLATIONS:
            raise ValueError(f"Resizing expected interpolation to be one of {image_ops.INTERPOLATIONS}. "
                             f"Received: interpolation={interpolation!r}")
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError("Resizing: only one of crop_to_aspect_ratio and pad_to_aspect_ratio can be True.")
        if fill_mode != "constant":
            raise ValueError(f"Resizing only supports fill_mode='constant'. Received: fill_mode={fill_mode!r}")
        self.height, self.width = height, width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = antialias
        self.data_format = image_ops.data_format_of("Resizing", data_format)
        self.built = True

    def call(self, inputs):
        return image_ops.resize(inputs, self.height, self.width, self.interpolation, self.data_format,
                                self.crop_to_aspect_ratio, self.pad_to_aspect_ratio, self.fill_value,
                                self.antialias).astype(self.compute_dtype)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        rank = len(shape)
        h, w = (rank - 3, rank - 2) if self.data_format == "channels_last" else (rank - 2, rank - 1)
        shape[h], shape[w] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width,
                "interpolation": self.interpolation, "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "antialias": self.antialias, "data_format": self.data_format}
