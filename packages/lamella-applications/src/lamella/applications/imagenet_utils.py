"""ImageNet input preprocessing, in the three conventions Keras models use.

- ``'caffe'``: RGB to BGR, then each channel minus the ImageNet mean pixel (no
  scaling). The ResNet (v1) weights expect this.
- ``'tf'``: pixels scaled to ``[-1, 1]``. ResNetV2 expects this.
- ``'torch'``: pixels scaled to ``[0, 1]``, then normalized by the ImageNet mean and
  standard deviation per channel.
"""

import numpy as np

from lamella.backend import standardize_data_format

# ImageNet's mean pixel (BGR order for 'caffe', in 0-255 units) and the mean and
# standard deviation per RGB channel in [0, 1] units for 'torch'.
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
TORCH_MEAN_RGB = (0.485, 0.456, 0.406)
TORCH_STD_RGB = (0.229, 0.224, 0.225)

MODES = ("caffe", "tf", "torch")


def preprocess_input(x, data_format=None, mode="caffe"):
    """Preprocesses a batch (or one image) of RGB pixels in ``[0, 255]``.

    Args:
        x: array-like of shape ``(..., height, width, 3)`` (or channels first).
        data_format: ``'channels_last'`` or ``'channels_first'`` (default: the
            configured image data format).
        mode: ``'caffe'``, ``'tf'`` or ``'torch'`` (see the module docstring).

    Returns:
        A new float32 numpy array (the input is not modified).
    """
    if mode not in MODES:
        raise ValueError(f"preprocess_input expected mode in {MODES}. Received: mode={mode!r}")
    data_format = standardize_data_format(data_format)
    x = np.array(x, dtype=np.float32, copy=True)
    axis = -1 if data_format == "channels_last" else (-3 if x.ndim >= 3 else 0)
    if x.shape[axis] != 3:
        raise ValueError(
            f"preprocess_input expects 3 color channels on axis {axis} "
            f"({data_format}). Received an array of shape {x.shape}"
        )
    if mode == "tf":
        return x / np.float32(127.5) - np.float32(1.0)
    shape = [1] * x.ndim
    shape[axis] = 3

    def per_channel(values):
        # float32 constants: float64 ones would silently promote the batch.
        return np.reshape(np.asarray(values, np.float32), shape)

    if mode == "torch":
        return (x / np.float32(255.0) - per_channel(TORCH_MEAN_RGB)) / per_channel(TORCH_STD_RGB)
    return np.flip(x, axis=axis) - per_channel(CAFFE_MEAN_BGR)
