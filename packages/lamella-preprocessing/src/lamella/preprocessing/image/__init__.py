"""``lamella.preprocessing.image``: image loading and augmentation (Keras 2 API), on
numpy and Pillow only."""

from lamella.preprocessing.image.affine_transformations import (
    apply_affine_transform,
    apply_brightness_shift,
    apply_channel_shift,
    flip_axis,
    random_brightness,
    random_channel_shift,
    random_rotation,
    random_shear,
    random_shift,
    random_zoom,
    transform_matrix_offset_center,
)
from lamella.preprocessing.image.dataframe_iterator import DataFrameIterator
from lamella.preprocessing.image.directory_iterator import DirectoryIterator
from lamella.preprocessing.image.image_data_generator import ImageDataGenerator
from lamella.preprocessing.image.iterator import Iterator
from lamella.preprocessing.image.numpy_array_iterator import NumpyArrayIterator
from lamella.utils.image_utils import array_to_img, img_to_array, load_img, save_img

__all__ = [
    "DataFrameIterator", "DirectoryIterator", "ImageDataGenerator", "Iterator", "NumpyArrayIterator",
    "apply_affine_transform", "apply_brightness_shift", "apply_channel_shift", "array_to_img",
    "flip_axis", "img_to_array", "load_img", "random_brightness", "random_channel_shift",
    "random_rotation", "random_shear", "random_shift", "random_zoom", "save_img",
    "transform_matrix_offset_center",
]
