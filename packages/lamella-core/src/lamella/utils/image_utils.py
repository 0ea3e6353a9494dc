"""Images to arrays and back: ``load_img``, ``img_to_array``, ``array_to_img``,
``save_img``. They need Pillow (a dependency of lamella-preprocessing), imported
only when they are called."""

import io
import os
import pathlib
import warnings

import numpy as np

from lamella.backend import config

INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def _pil():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(
            "Image loading needs Pillow, which is not installed: pip install "
            "lamella-preprocessing (it depends on Pillow), or pip install pillow."
        ) from None
    return Image


def pil_resample(interpolation):
    """Pillow's resampling filter for an interpolation name."""
    if interpolation not in INTERPOLATIONS:
        raise ValueError(
            f"Invalid interpolation method {interpolation!r} specified. Supported "
            f"methods are {', '.join(INTERPOLATIONS)}."
        )
    return getattr(_pil().Resampling, interpolation.upper())


def _data_format(data_format):
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "data_format must be 'channels_first' or 'channels_last'. "
            f"Received: data_format={data_format!r}"
        )
    return data_format


def load_img(path, grayscale=False, color_mode="rgb", target_size=None, interpolation="nearest",
             keep_aspect_ratio=False):
    """Loads an image file as a Pillow image.

    Args:
        path: a path (string or ``pathlib.Path``) or an open binary file / ``BytesIO``.
        grayscale: Keras 2's spelling of ``color_mode="grayscale"``.
        color_mode: ``"rgb"``, ``"rgba"`` or ``"grayscale"``: the image is converted
            to that mode (grayscale 16- and 32-bit images stay as they are).
        target_size: ``(height, width)`` to resize to, or ``None``.
        interpolation: the resampling filter: ``nearest``, ``bilinear``, ``bicubic``,
            ``hamming``, ``box`` or ``lanczos``.
        keep_aspect_ratio: crop the centre of the image to the target's aspect ratio
            before resizing, instead of stretching it.

    Returns:
        A ``PIL.Image.Image``.

    Example:

    >>> img = load_img("cat.png", target_size=(224, 224))  # doctest: +SKIP
    >>> img_to_array(img).shape  # doctest: +SKIP
    (224, 224, 3)
    """
    Image = _pil()
    if grayscale:
        warnings.warn("grayscale is deprecated. Use color_mode='grayscale'.", stacklevel=2)
        color_mode = "grayscale"
    if color_mode not in ("grayscale", "rgb", "rgba"):
        raise ValueError(
            "color_mode must be 'grayscale', 'rgb' or 'rgba'. "
            f"Received: color_mode={color_mode!r}"
        )
    if isinstance(path, io.BytesIO) or hasattr(path, "read"):
        img = Image.open(path)
    elif isinstance(path, str | pathlib.Path | os.PathLike):
        with open(os.fspath(path), "rb") as f:
            img = Image.open(io.BytesIO(f.read()))
    else:
        raise TypeError(
            f"load_img expects a path or a binary file. Received: {type(path).__name__}"
        )
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif color_mode == "rgba":
        if img.mode != "RGBA":
            img = img.convert("RGBA")
    elif img.mode != "RGB":
        img = img.convert("RGB")
    if target_size is not None:
        size = (int(target_size[1]), int(target_size[0]))  # Pillow: (width, height)
        if img.size != size:
            resample = pil_resample(interpolation)
            if keep_aspect_ratio:
                width, height = img.size
                crop_height = min(height, (width * size[1]) // size[0])
                crop_width = min(width, (height * size[0]) // size[1])
                top = (height - crop_height) // 2
                left = (width - crop_width) // 2
                box = (left, top, left + crop_width, top + crop_height)
                img = img.resize(size, resample, box=box)
            else:
                img = img.resize(size, resample)
    return img


def img_to_array(img, data_format=None, dtype=None):
    """A Pillow image (or anything ``np.asarray`` takes) as a 3-D array.

    Args:
        img: the image.
        data_format: ``channels_last`` (``(height, width, channels)``) or
            ``channels_first``; default ``image_data_format()``.
        dtype: default ``floatx()``.

    Returns:
        A numpy array; a grayscale image gets a channel axis of size 1.
    """
    data_format = _data_format(data_format)
    x = np.asarray(img, dtype=dtype or config.floatx())
    if x.ndim == 3:
        if data_format == "channels_first":
            x = x.transpose(2, 0, 1)
    elif x.ndim == 2:
        x = x.reshape((1, *x.shape)) if data_format == "channels_first" else x.reshape((*x.shape, 1))
    else:
        raise ValueError(f"Unsupported image shape: {x.shape}")
    return x


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A 3-D array as a Pillow image.

    Args:
        x: the image array (1, 3 or 4 channels).
        data_format: the layout of ``x``; default ``image_data_format()``.
        scale: rescale the values to ``[0, 255]`` (min to 0, max to 255) first.
        dtype: the dtype ``x`` is read as (default ``floatx()``).

    Returns:
        A ``PIL.Image.Image``: ``RGB``, ``RGBA``, ``L`` or (values above 255, one
        channel) ``I``.
    """
    Image = _pil()
    data_format = _data_format(data_format)
    x = np.array(x, dtype=dtype or config.floatx())
    if x.ndim != 3:
        raise ValueError(
            "Expected image array to have rank 3 (single image). Got array with "
            f"shape: {x.shape}"
        )
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        x_max = np.max(x)
        if x_max != 0:
            x = x / x_max
        x = x * 255
    channels = x.shape[2]
    if channels == 4:
        return Image.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return Image.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:
            return Image.fromarray(x[:, :, 0].astype("int32"), "I")
        return Image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels}")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Saves an image array to a file (through ``array_to_img``), atomically.

    Args:
        path: the file path (or a binary file object).
        x: the image array.
        data_format: the layout of ``x``.
        file_format: ``"png"``, ``"jpeg"``, ...; default from the file name.
        scale: rescale the values to ``[0, 255]`` first.
        **kwargs: options for Pillow's ``Image.save`` (``quality=90``, ...).
    """
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format in ("jpg", "jpeg"):
        warnings.warn("The JPG format does not support RGBA images, converting to RGB.", stacklevel=2)
        img = img.convert("RGB")
    if file_format == "jpg":
        file_format = "jpeg"
    if hasattr(path, "write"):
        img.save(path, format=file_format, **kwargs)
        return
    from lamella.utils.file_io import atomic_open

    path = os.fspath(path)
    if file_format is None:
        file_format = _pil().registered_extensions().get(os.path.splitext(path)[1].lower())
        if file_format is None:
            raise ValueError(
                f"save_img cannot tell the image format from {path!r}: give "
                "file_format='png' (or another format Pillow writes)."
            )
    with atomic_open(path, "wb") as f:
        img.save(f, format=file_format, **kwargs)
