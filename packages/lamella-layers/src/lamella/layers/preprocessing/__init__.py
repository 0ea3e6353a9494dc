"""Preprocessing layers: text and lookups (on the host), numbers and images (on
the device)."""

from lamella.layers.preprocessing.category_encoding import CategoryEncoding
from lamella.layers.preprocessing.center_crop import CenterCrop
from lamella.layers.preprocessing.discretization import Discretization
from lamella.layers.preprocessing.hashing import Hashing
from lamella.layers.preprocessing.integer_lookup import IntegerLookup
from lamella.layers.preprocessing.normalization import Normalization
from lamella.layers.preprocessing.random_brightness import RandomBrightness
from lamella.layers.preprocessing.random_contrast import RandomContrast
from lamella.layers.preprocessing.random_crop import RandomCrop
from lamella.layers.preprocessing.random_flip import RandomFlip
from lamella.layers.preprocessing.random_rotation import RandomRotation
from lamella.layers.preprocessing.random_translation import RandomTranslation
from lamella.layers.preprocessing.random_zoom import RandomZoom
from lamella.layers.preprocessing.rescaling import Rescaling
from lamella.layers.preprocessing.resizing import Resizing
from lamella.layers.preprocessing.string_lookup import StringLookup
from lamella.layers.preprocessing.text_vectorization import TextVectorization

PREPROCESSING_LAYERS = (
    CategoryEncoding, CenterCrop, Discretization, Hashing, IntegerLookup, Normalization, RandomBrightness,
    RandomContrast, RandomCrop, RandomFlip, RandomRotation, RandomTranslation, RandomZoom, Rescaling, Resizing,
    StringLookup, TextVectorization,
)

__all__ = [cls.__name__ for cls in PREPROCESSING_LAYERS] + ["PREPROCESSING_LAYERS"]
