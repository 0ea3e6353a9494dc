"""``lamella.losses``: loss functions and classes (distribution lamella-losses).

Functions return one value per sample; classes weight and reduce them. Both are
registered by name, with the Keras 2 short aliases (``'mse'``, ``'mae'``, ``'mape'``,
``'msle'``, ``'kld'``, ``'bce'``, ``'logcosh'``, ``'cosine_proximity'``, ...).
"""

from lamella.losses._version import __version__
from lamella.losses.ctc import CTC, ctc
from lamella.losses.focal import (
    BinaryFocalCrossentropy,
    CategoricalFocalCrossentropy,
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
)
from lamella.losses.hinge import CategoricalHinge, Hinge, SquaredHinge, categorical_hinge, hinge, squared_hinge
from lamella.losses.probabilistic import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from lamella.losses.regression import (
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    cosine_similarity,
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from lamella.losses.segmentation import Dice, Tversky, dice, tversky
from lamella.saving import serialization
from lamella.training.loss import Loss, LossFunctionWrapper, reduce_weighted_values

# The Keras 2 short names, as module attributes too (``losses.mse(y, p)``).
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
bce = BCE = binary_crossentropy
logcosh = log_cosh
huber_loss = huber
cosine_proximity = cosine_similarity

# Registered names: canonical first (an object serializes under its first name).
CLASSES = (
    MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
    Huber, LogCosh, CosineSimilarity, Poisson, KLDivergence, Hinge, SquaredHinge, CategoricalHinge,
    BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy, CategoricalFocalCrossentropy,
    SparseCategoricalCrossentropy, Dice, Tversky, CTC,
)
FUNCTIONS = (
    mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
    mean_squared_logarithmic_error, huber, log_cosh, cosine_similarity, poisson, kl_divergence,
    hinge, squared_hinge, categorical_hinge, binary_crossentropy, binary_focal_crossentropy,
    categorical_crossentropy, categorical_focal_crossentropy, sparse_categorical_crossentropy,
    dice, tversky, ctc,
)
# The short and Keras 2 names Keras tutorials use.
ALIASES = {
    "mse": mean_squared_error, "MSE": mean_squared_error,
    "mae": mean_absolute_error, "MAE": mean_absolute_error,
    "mape": mean_absolute_percentage_error, "MAPE": mean_absolute_percentage_error,
    "msle": mean_squared_logarithmic_error, "MSLE": mean_squared_logarithmic_error,
    "kld": kl_divergence, "KLD": kl_divergence, "kullback_leibler_divergence": kl_divergence,
    "bce": binary_crossentropy, "BCE": binary_crossentropy,
    "logcosh": log_cosh, "huber_loss": huber, "cosine_proximity": cosine_similarity,
}

__all__ = [
    "BCE", "BinaryCrossentropy", "BinaryFocalCrossentropy", "CTC", "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy", "CategoricalHinge", "CosineSimilarity", "Dice", "Hinge", "Huber",
    "KLD", "KLDivergence", "LogCosh", "Loss", "LossFunctionWrapper", "MAE", "MAPE", "MSE", "MSLE",
    "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredError",
    "MeanSquaredLogarithmicError", "Poisson", "SparseCategoricalCrossentropy", "SquaredHinge",
    "Tversky", "__version__", "bce", "binary_crossentropy", "binary_focal_crossentropy",
    "categorical_crossentropy", "categorical_focal_crossentropy", "categorical_hinge",
    "cosine_proximity", "cosine_similarity", "ctc", "deserialize", "dice", "get", "hinge", "huber",
    "huber_loss", "kl_divergence", "kld", "kullback_leibler_divergence", "log_cosh", "logcosh",
    "mae", "mape", "mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_error",
    "mean_squared_logarithmic_error", "mse", "msle", "poisson", "reduce_weighted_values",
    "serialize", "sparse_categorical_crossentropy", "squared_hinge", "tversky",
]


def serialize(loss):
    return serialization.serialize_object(loss, kind="losses")


def deserialize(config, custom_objects=None):
    return serialization.deserialize_object(config, kind="losses", custom_objects=custom_objects)


def get(identifier):
    """A loss from a name (a function for ``'mse'``, an instance for a class name such
    as ``'MeanSquaredError'``), a config, a ``Loss`` class or instance, or a
    callable. Unknown names raise a ``ValueError`` listing the registered ones."""
    if identifier is None:
        return None
    found = deserialize(identifier) if isinstance(identifier, str | dict) else identifier
    if isinstance(found, type):
        return found()
    if callable(found):
        return found
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")
