"""Utilities (``lamella.utils``): labels, seeds, custom objects, progress bars, and
the data utilities: ``PyDataset``/``Sequence``, dataset builders, ``get_file``."""

from lamella.saving.object_registration import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_serializable,
)
from lamella.utils.dataset_utils import split_dataset
from lamella.utils.file_utils import get_file, hash_file, validate_file
from lamella.utils.image_utils import array_to_img, img_to_array, load_img, save_img
from lamella.utils.numerical_utils import normalize, to_categorical
from lamella.utils.py_dataset import PyDataset, Sequence
from lamella.utils.image_dataset import image_dataset_from_directory
from lamella.utils.random_seed import set_random_seed
from lamella.utils.text_dataset import text_dataset_from_directory
from lamella.utils.timeseries_dataset import timeseries_dataset_from_array

# The Keras spelling, kept where users type it.
register_keras_serializable = register_serializable

__all__ = [
    "CustomObjectScope",
    "array_to_img",
    "image_dataset_from_directory",
    "img_to_array",
    "load_img",
    "save_img",
    "Progbar",
    "PyDataset",
    "Sequence",
    "custom_object_scope",
    "get_file",
    "hash_file",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "model_to_dot",
    "normalize",
    "plot_model",
    "register_keras_serializable",
    "register_serializable",
    "set_random_seed",
    "split_dataset",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
    "to_categorical",
    "validate_file",
]


def __getattr__(name):
    if name == "Progbar":
        from lamella.training.progbar import Progbar

        return Progbar
    if name in ("plot_model", "model_to_dot"):
        from lamella.utils import model_visualization

        return getattr(model_visualization, name)
    raise AttributeError(f"module 'lamella.utils' has no attribute '{name}'")
