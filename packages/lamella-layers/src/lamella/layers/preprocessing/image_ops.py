"""Resizing, cropping and padding of image batches with jax (shared by the image
preprocessing layers)."""

import jax
import jax.numpy as jnp

from lamella.backend import config

INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5")


def data_format_of(layer_name, data_format):
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"{layer_name} expected data_format 'channels_last' or 'channels_first'. "
                         f"Received: data_format={data_format!r}")
    return data_format


def spatial_axes(images, data_format):
    """The (height, width) axes of a 3-D image or 4-D batch."""
    rank = images.ndim
    if rank not in (3, 4):
        raise ValueError(f"Expected an image (rank 3) or a batch of images (rank 4). Received shape {images.shape}")
    return (rank - 3, rank - 2) if data_format == "channels_last" else (rank - 2, rank - 1)


def check_size(layer_name, name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{layer_name} expected a positive integer for {name}. Received: {name}={value!r}")


def crop_box(height, width, target_height, target_width):
    """The centred window of the target's aspect ratio: (top, left, height, width)."""
    crop_height = max(min(height, int(width * target_height / target_width)), 1)
    crop_width = max(min(width, int(height * target_width / target_height)), 1)
    return (height - crop_height) // 2, (width - crop_width) // 2, crop_height, crop_width


def slice_spatial(images, axes, top, left, height, width):
    images = jax.lax.slice_in_dim(images, top, top + height, axis=axes[0])
    return jax.lax.slice_in_dim(images, left, left + width, axis=axes[1])


def resize(images, height, width, interpolation, data_format, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_value=0.0, antialias=False):
    axes = spatial_axes(images, data_format)
    in_height, in_width = images.shape[axes[0]], images.shape[axes[1]]
    if crop_to_aspect_ratio:
        images = slice_spatial(images, axes, *crop_box(in_height, in_width, height, width))
    elif pad_to_aspect_ratio:
        pad_height = max(in_height, int(in_width * height / width))
        pad_width = max(in_width, int(in_height * width / height))
        top, left = (pad_height - in_height) // 2, (pad_width - in_width) // 2
        padding = [(0, 0, 0)] * images.ndim
        padding[axes[0]] = (top, pad_height - in_height - top, 0)
        padding[axes[1]] = (left, pad_width - in_width - left, 0)
        images = jax.lax.pad(images, jnp.asarray(fill_value, images.dtype), padding)
    shape = list(images.shape)
    shape[axes[0]], shape[axes[1]] = height, width
    method = "linear" if interpolation == "bilinear" else "cubic" if interpolation == "bicubic" else interpolation
    if not jnp.issubdtype(images.dtype, jnp.floating):
        images = images.astype(config.floatx())
    return jax.image.resize(images, tuple(shape), method=method, antialias=antialias)
