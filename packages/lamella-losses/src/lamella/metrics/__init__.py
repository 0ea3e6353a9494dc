"""``lamella.metrics``: metric functions and stateful classes (lamella-losses).

``Metric``, ``Mean``, ``Sum`` and ``MeanMetricWrapper`` are lamella-core's (the
engine needs them) and are re-exported here. Every metric keeps its state in
variables that the training engine carries through the compiled step.
"""

from lamella.losses._version import __version__
from lamella.losses.hinge import categorical_hinge, hinge, squared_hinge
from lamella.losses.probabilistic import (
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from lamella.losses.regression import (
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from lamella.metrics.accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from lamella.metrics.auc import AUC
from lamella.metrics.confusion_metrics import FalseNegatives, FalsePositives, TrueNegatives, TruePositives
from lamella.metrics.f_score_metrics import F1Score, FBetaScore
from lamella.metrics.hinge_metrics import CategoricalHinge, Hinge, SquaredHinge
from lamella.metrics.iou_metrics import IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from lamella.metrics.precision_recall import Precision, Recall
from lamella.metrics.probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from lamella.metrics.r2_score import R2Score
from lamella.metrics.regression_metrics import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
    cosine_similarity,
)
from lamella.metrics.sensitivity_specificity import (
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
from lamella.saving import serialization
from lamella.training.metric import Metric
from lamella.training.reduction_metrics import Mean, MeanMetricWrapper, Sum

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence
logcosh = log_cosh

CLASSES = (
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy, AUC, Precision, Recall, PrecisionAtRecall, RecallAtPrecision,
    SensitivityAtSpecificity, SpecificityAtSensitivity, TruePositives, FalsePositives, TrueNegatives,
    FalseNegatives, F1Score, FBetaScore, IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU,
    MeanSquaredError, RootMeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, LogCoshError, CosineSimilarity, R2Score, BinaryCrossentropy,
    CategoricalCrossentropy, SparseCategoricalCrossentropy, KLDivergence, Poisson, Hinge, SquaredHinge,
    CategoricalHinge, Mean, Sum,
)
FUNCTIONS = (
    accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, top_k_categorical_accuracy,
    sparse_top_k_categorical_accuracy, mean_squared_error, mean_absolute_error,
    mean_absolute_percentage_error, mean_squared_logarithmic_error, log_cosh, cosine_similarity,
    binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, kl_divergence, poisson,
    hinge, squared_hinge, categorical_hinge,
)
# Short and Keras 2 names as tutorials write them in compile(metrics=[...]).
ALIASES = {
    "mse": mean_squared_error, "MSE": mean_squared_error, "mae": mean_absolute_error, "MAE": mean_absolute_error,
    "mape": mean_absolute_percentage_error, "MAPE": mean_absolute_percentage_error,
    "msle": mean_squared_logarithmic_error, "MSLE": mean_squared_logarithmic_error,
    "kld": kl_divergence, "KLD": kl_divergence, "kullback_leibler_divergence": kl_divergence,
    "logcosh": log_cosh, "cosine_proximity": cosine_similarity, "acc": accuracy,
    "rmse": RootMeanSquaredError, "auc": AUC, "precision": Precision, "recall": Recall,
}

__all__ = sorted(
    {cls.__name__ for cls in CLASSES} | {fn.__name__ for fn in FUNCTIONS}
    | {"MAE", "MAPE", "MSE", "MSLE", "KLD", "kld", "mae", "mape", "mse", "msle", "logcosh", "Metric",
       "MeanMetricWrapper", "__version__", "deserialize", "get", "serialize"}
)


def serialize(metric):
    return serialization.serialize_object(metric, kind="metrics")


def deserialize(config, custom_objects=None):
    return serialization.deserialize_object(config, kind="metrics", custom_objects=custom_objects)


# Metric functions whose name ``get`` turns into the stateful metric, as Keras 3's
# ``metrics.get('mse')`` gives a ``MeanSquaredError`` metric.
_CLASS_OF_FUNCTION = {
    accuracy: Accuracy, binary_accuracy: BinaryAccuracy, categorical_accuracy: CategoricalAccuracy,
    sparse_categorical_accuracy: SparseCategoricalAccuracy, mean_squared_error: MeanSquaredError,
    mean_absolute_error: MeanAbsoluteError, mean_absolute_percentage_error: MeanAbsolutePercentageError,
    mean_squared_logarithmic_error: MeanSquaredLogarithmicError,
}


def get(identifier):
    """A metric from a name, a config, a ``Metric`` class or instance, or a callable.

    A name gives a ``Metric`` instance when there is a metric of that name
    (``'mse'`` and ``'mean_squared_error'`` give ``MeanSquaredError()``, as in
    Keras 3); other registered functions are returned as they are.
    """
    if identifier is None:
        return None
    found = identifier
    if isinstance(identifier, str | dict):
        found = deserialize(identifier)
        if isinstance(identifier, str):
            found = _CLASS_OF_FUNCTION.get(found, found)
    if isinstance(found, type):
        return found()
    if callable(found) or isinstance(found, Metric):
        return found
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}")
