"""ImageNet input preprocessing, in the three conventions Keras models use.

- ``'caffe'``: RGB to BGR, then each channel minus the ImageNet mean pixel (no
  scaling). The ResNet (v1) weights expect this.
- ``'tf'``: pixels scaled to ``[-1, 1]``. ResNetV2 expects this.
- ``'torch'``: pixels scaled to ``[0, 1]``, then normalized by the ImageNet mean and
  standard deviation per channel.

It also decodes ImageNet predictions with the class index shipped in this package
(``data/imagenet_class_index.json``: ``{"<index>": [wnid, name]}`` for the 1000
ILSVRC-2012 classes, byte for byte the file Keras downloads, md5
``c2c37ea517e94d9795004a39431a14cb``), and checks the arguments the application
models share.
"""

import functools
import json
import warnings
from importlib import resources

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


# -- decoding predictions -----------------------------------------------------------

CLASS_INDEX_FILE = "imagenet_class_index.json"
NUM_CLASSES = 1000


@functools.cache
def class_index():
    """The ImageNet class index ``{"0": [wnid, name], ...}``, read once, lazily."""
    data = resources.files("lamella.applications").joinpath("data", CLASS_INDEX_FILE)
    with data.open("r", encoding="utf-8") as f:
        return json.load(f)


def decode_predictions(preds, top=5):
    """The ``top`` ImageNet classes of each prediction, best first.

    Args:
        preds: array-like of shape ``(samples, 1000)`` (probabilities or logits).
        top: how many classes to return per sample (1 to 1000).

    Returns:
        One list per sample of ``(wnid, class_name, score)`` tuples, sorted by
        decreasing score.

    Example:

    >>> preds = np.zeros((1, 1000), np.float32); preds[0, 207] = 1.0
    >>> decode_predictions(preds, top=1)[0][0][:2]
    ('n02099601', 'golden_retriever')
    """
    preds = np.asarray(preds)
    if preds.ndim != 2 or preds.shape[1] != NUM_CLASSES:
        raise ValueError(
            "decode_predictions expects a batch of ImageNet predictions (a 2D array "
            f"of shape (samples, {NUM_CLASSES})). Received an array of shape {preds.shape}"
        )
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or not 1 <= top <= NUM_CLASSES:
        raise ValueError(
            f"decode_predictions expected top to be an integer from 1 to {NUM_CLASSES}. "
            f"Received: top={top!r}"
        )
    index = class_index()
    results = []
    for pred in preds:
        # A stable sort on the negated scores keeps ties in index order.
        best = np.argsort(-pred, kind="stable")[:top]
        results.append([(*index[str(i)], pred[i]) for i in best])
    return results


# -- arguments shared by the application models --------------------------------------


def obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten, weights=None):
    """The input shape of an application model, checked as Keras checks it.

    Args:
        input_shape: the user's shape of one image (3 entries) or ``None``.
        default_size: the height and width the pretrained top expects.
        min_size: the smallest height or width the network accepts.
        data_format: ``'channels_last'`` or ``'channels_first'``.
        require_flatten: whether a classifier top is included (a fixed size then).
        weights: ``'imagenet'``, ``None`` or a path.

    Returns:
        A tuple of 3 entries (``None`` for free spatial sizes).
    """
    channel_axis = 0 if data_format == "channels_first" else -1
    if input_shape is not None:
        try:
            input_shape = tuple(None if d is None else int(d) for d in input_shape)
        except (TypeError, ValueError):
            raise ValueError(
                "input_shape must be a tuple of three integers (height, width, channels"
                f" for {data_format}). Received: input_shape={input_shape!r}"
            ) from None
        if len(input_shape) != 3:
            raise ValueError(
                f"input_shape must be a tuple of three integers. Received: input_shape={input_shape}"
            )
    if weights != "imagenet" and input_shape is not None:
        channels = input_shape[channel_axis]
        if channels not in (1, 3):
            warnings.warn(
                "This model usually expects 1 or 3 input channels. Received an "
                f"input_shape with {channels} input channels.", stacklevel=3,
            )
        default_shape = (channels, default_size, default_size) if channel_axis == 0 else (
            default_size, default_size, channels)
    else:
        default_shape = (3, default_size, default_size) if channel_axis == 0 else (
            default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and input_shape != default_shape:
            raise ValueError(
                "With include_top=True and weights='imagenet', input_shape must be "
                f"{default_shape}. Received: input_shape={input_shape}"
            )
        return default_shape
    if input_shape is None:
        if require_flatten:
            return default_shape
        return (3, None, None) if channel_axis == 0 else (None, None, 3)
    if weights == "imagenet" and input_shape[channel_axis] != 3:
        raise ValueError(
            f"ImageNet weights need 3 input channels. Received: input_shape={input_shape}"
        )
    spatial = input_shape[1:] if channel_axis == 0 else input_shape[:2]
    if any(d is not None and d < min_size for d in spatial):
        raise ValueError(
            f"Input size must be at least {min_size}x{min_size}. Received: input_shape={input_shape}"
        )
    if require_flatten and None in input_shape:
        raise ValueError(
            "With include_top=True the input_shape must be static (no None). "
            f"Received: input_shape={input_shape}"
        )
    return input_shape


def validate_activation(classifier_activation, weights):
    """Pretrained tops give softmax probabilities or logits, nothing else."""
    if weights is None:
        return
    from lamella import activations

    allowed = (activations.get("softmax"), activations.get(None))
    if activations.get(classifier_activation) not in allowed:
        raise ValueError(
            "With pretrained weights, classifier_activation must be None or "
            f"'softmax'. Received: classifier_activation={classifier_activation!r}"
        )
