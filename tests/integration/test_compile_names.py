"""compile() with the loss, metric and optimizer names Keras 2 and Keras 3
tutorials use, on every distribution installed: each resolves at compile, computes
what its function computes, and an unknown name fails at compile, not at fit."""

import numpy as np
import pytest

import lamella
from lamella import losses
from lamella.layers import Dense
from lamella.training import compile_utils

LOSS_NAMES = {
    "mean_squared_error": losses.mean_squared_error, "mse": losses.mean_squared_error, "MSE": losses.mean_squared_error,
    "mean_absolute_error": losses.mean_absolute_error, "mae": losses.mean_absolute_error,
    "mean_absolute_percentage_error": losses.mean_absolute_percentage_error, "mape": losses.mean_absolute_percentage_error,
    "mean_squared_logarithmic_error": losses.mean_squared_logarithmic_error, "msle": losses.mean_squared_logarithmic_error,
    "squared_hinge": losses.squared_hinge, "hinge": losses.hinge, "categorical_hinge": losses.categorical_hinge,
    "logcosh": losses.log_cosh, "log_cosh": losses.log_cosh, "huber_loss": losses.huber, "huber": losses.huber,
    "categorical_crossentropy": losses.categorical_crossentropy,
    "sparse_categorical_crossentropy": losses.sparse_categorical_crossentropy,
    "binary_crossentropy": losses.binary_crossentropy, "bce": losses.binary_crossentropy,
    "kullback_leibler_divergence": losses.kl_divergence, "kld": losses.kl_divergence, "KLD": losses.kl_divergence,
    "kl_divergence": losses.kl_divergence, "poisson": losses.poisson, "cosine_proximity": losses.cosine_similarity,
    "cosine_similarity": losses.cosine_similarity, "binary_focal_crossentropy": losses.binary_focal_crossentropy,
    "categorical_focal_crossentropy": losses.categorical_focal_crossentropy,
}
CLASS_NAMES = [
    "MeanSquaredError", "MeanAbsoluteError", "Huber", "LogCosh", "BinaryCrossentropy", "CategoricalCrossentropy",
    "SparseCategoricalCrossentropy", "KLDivergence", "Poisson", "Hinge", "CosineSimilarity", "Dice", "Tversky",
]
METRIC_NAMES = [
    "accuracy", "acc", "binary_accuracy", "categorical_accuracy", "top_k_categorical_accuracy", "mae", "mse",
    "mape", "msle", "cosine_proximity", "AUC", "auc", "Precision", "precision", "Recall", "recall",
    "binary_crossentropy", "crossentropy", "kullback_leibler_divergence", "logcosh", "hinge", "RootMeanSquaredError",
    "TruePositives", "FalseNegatives", "F1Score", "R2Score",
]
OPTIMIZER_NAMES = ["sgd", "adam", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "ftrl", "adamw", "lion", "SGD", "Adam", "RMSprop"]


def _model(units=3, activation="softmax"):
    lamella.utils.set_random_seed(0)
    return lamella.Sequential([lamella.Input((4,)), Dense(units, activation=activation)])


@pytest.mark.parametrize("name", sorted(LOSS_NAMES))
def test_loss_names_resolve_to_their_function(name):
    rng = np.random.default_rng(0)
    y_true = np.eye(3, dtype=np.float32)[rng.integers(0, 3, size=5)]
    y_pred = rng.uniform(0.05, 0.95, size=(5, 3)).astype(np.float32)
    if name == "sparse_categorical_crossentropy":
        y_true = rng.integers(0, 3, size=5)
    loss = compile_utils.resolve_loss(name)
    np.testing.assert_allclose(loss(y_true, y_pred), np.mean(LOSS_NAMES[name](y_true, y_pred)), rtol=1e-6)


def test_every_name_compiles_and_one_fit_reports_every_metric():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(16, 4)).astype(np.float32)
    y = (x[:, :1] > 0).astype(np.float32)
    for name in [*LOSS_NAMES, *CLASS_NAMES]:
        _model().compile(optimizer="adam", loss=name)
    for name in OPTIMIZER_NAMES:
        _model().compile(optimizer=name, loss="mse")
    categorical = _model()
    categorical.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["top_k_categorical_accuracy"])
    y_categorical = np.eye(3, dtype=np.float32)[rng.integers(0, 3, size=16)]
    top_3 = categorical.evaluate(x, y_categorical, verbose=0, return_dict=True)["top_k_categorical_accuracy"]
    assert top_3 == 1.0  # k=5 of 3 classes: always in the top k
    model = _model(1, "sigmoid")
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=[m for m in METRIC_NAMES if m != "top_k_categorical_accuracy"])
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    logs = {k: v[-1] for k, v in history.history.items()}
    # One log per metric ('AUC' and 'auc' both name an AUC: the second is auc_1).
    assert len(logs) == 1 + len(METRIC_NAMES) - 1
    assert {"accuracy", "acc", "mae", "auc", "auc_1", "precision", "recall", "root_mean_squared_error", "r2_score"} <= set(logs)
    assert all(np.isfinite(v) for v in logs.values())
    assert logs["accuracy"] == logs["binary_accuracy"] and logs["auc"] == logs["auc_1"]


@pytest.mark.parametrize(
    "kwargs, message",
    [({"loss": "mean_sqared_error"}, "mean_sqared_error"), ({"loss": "mse", "metrics": ["accuracyy"]}, "accuracyy"),
     ({"optimizer": "adamm", "loss": "mse"}, "adamm"), ({"loss": ["mse", "msee"]}, "msee")],
)
def test_unknown_names_fail_at_compile(kwargs, message):
    model = _model()
    with pytest.raises(ValueError, match=message):
        model.compile(**{"optimizer": "sgd", **kwargs})
