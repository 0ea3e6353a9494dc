"""``CenterCrop``: the central ``height`` x ``width`` window of images."""

from lamella.engine.layer import Layer
from lamella.layers.preprocessing import image_ops


class CenterCrop(Layer):
    """Cuts the central ``(height, width)`` window out of each image.

    An image smaller than the target on some side is first cropped to the target's
    aspect ratio and resized (bilinear) to the target, as Keras does.

    Args:
        height, width: the output size.
        data_format: ``channels_last`` or ``channels_first``.

    Input shape:
        ``(batch, height, width, channels)`` or one image.

    Output shape:
        ``(batch, height, width, channels)`` with the target size.

    Example:

    >>> CenterCrop(2, 2)(np.arange(16.0).reshape(1, 4, 4, 1))[0, :, :, 0].tolist()
    [[5.0, 6.0], [9.0, 10.0]]
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(**kwargs)
        image_ops.check_size("CenterCrop", "height", height)
        image_ops.check_size("CenterCrop", "width", width)
        self.height, self.width = height, width
        self.data_format = image_ops.data_format_of("CenterCrop", data_format)
        self.built = True

    def call(self, inputs):
        axes = image_ops.spatial_axes(inputs, self.data_format)
        height, width = inputs.shape[axes[0]], inputs.shape[axes[1]]
        if height >= self.height and width >= self.width:
            top, left = (height - self.height) // 2, (width - self.width) // 2
            out = image_ops.slice_spatial(inputs, axes, top, left, self.height, self.width)
        else:
            out = image_ops.resize(inputs, self.height, self.width, "bilinear", self.data_format,
                                   crop_to_aspect_ratio=True)
        return out.astype(self.compute_dtype)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        rank = len(shape)
        h, w = (rank - 3, rank - 2) if self.data_format == "channels_last" else (rank - 2, rank - 1)
        shape[h], shape[w] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width, "data_format": self.data_format}
