"""``lamella.losses``: look-up by name (Keras 3 names and Keras 2 aliases),
serialize/deserialize, and the plugin registration."""

import numpy as np
import pytest

import lamella
from lamella import losses


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "name, function",
    [("mse", "mean_squared_error"), ("MSE", "mean_squared_error"), ("mae", "mean_absolute_error"),
     ("MAE", "mean_absolute_error"), ("bce", "binary_crossentropy"), ("BCE", "binary_crossentropy"),
     ("mean_squared_error", "mean_squared_error"), ("poisson", "poisson"),
     ("categorical_crossentropy", "categorical_crossentropy"),
     ("sparse_categorical_crossentropy", "sparse_categorical_crossentropy"),
     ("mape", "mean_absolute_percentage_error"), ("MAPE", "mean_absolute_percentage_error"),
     ("msle", "mean_squared_logarithmic_error"), ("MSLE", "mean_squared_logarithmic_error"),
     ("kld", "kl_divergence"), ("KLD", "kl_divergence"), ("huber", "huber"), ("log_cosh", "log_cosh"),
     ("hinge", "hinge"), ("squared_hinge", "squared_hinge"), ("categorical_hinge", "categorical_hinge"),
     ("cosine_similarity", "cosine_similarity"), ("binary_focal_crossentropy", "binary_focal_crossentropy"),
     ("categorical_focal_crossentropy", "categorical_focal_crossentropy"), ("dice", "dice"),
     ("tversky", "tversky"), ("ctc", "ctc")],
)
def test_get_function_names_and_keras_2_aliases(keras, name, function):
    found = losses.get(name)
    assert found is getattr(losses, function)
    assert keras.losses.get(name).__name__ == function


def test_keras_2_names_keras_3_dropped_still_resolve():
    # Keras 2 tutorials compile with these; Keras 3 no longer knows them.
    assert losses.get("kullback_leibler_divergence") is losses.kl_divergence
    assert losses.get("logcosh") is losses.log_cosh
    assert losses.get("huber_loss") is losses.huber
    assert losses.get("cosine_proximity") is losses.cosine_similarity


CLASS_NAMES = [
    "MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError",
    "Huber", "LogCosh", "CosineSimilarity", "Poisson", "KLDivergence", "Hinge", "SquaredHinge",
    "CategoricalHinge", "BinaryCrossentropy", "BinaryFocalCrossentropy", "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy", "SparseCategoricalCrossentropy", "Dice", "Tversky", "CTC",
]


@pytest.mark.keras_parity
@pytest.mark.parametrize("name", CLASS_NAMES)
def test_get_class_names_gives_instances_like_keras(keras, name):
    loss = losses.get(name)
    assert type(loss) is getattr(losses, name)
    assert loss.get_config() == {k: v for k, v in loss.get_config().items()}
    keras_loss = keras.losses.get(name)
    assert keras_loss.name == loss.name
    assert losses.get(getattr(losses, name)).name == loss.name  # a class is instantiated


def test_get_passes_losses_and_callables_through():
    loss = losses.MeanSquaredError()
    assert losses.get(loss) is loss
    fn = lambda y_true, y_pred: y_pred  # noqa: E731
    assert losses.get(fn) is fn
    assert losses.get(None) is None


def test_get_rejects_unknown_names_and_objects():
    with pytest.raises(ValueError, match="msee"):
        losses.get("msee")
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get(42)


@pytest.mark.parametrize(
    "loss",
    [losses.MeanSquaredError(reduction="sum"), losses.Poisson(name="p"),
     losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.2),
     losses.CategoricalCrossentropy(axis=1),
     losses.SparseCategoricalCrossentropy(ignore_class=0, axis=-1, reduction=None)],
    ids=lambda loss: type(loss).__name__,
)
def test_serialize_deserialize_round_trip(loss):
    config = losses.serialize(loss)
    assert config["class_name"] == type(loss).__name__
    assert config["registered_by"]["distribution"] == "lamella-losses"
    clone = losses.deserialize(config)
    assert type(clone) is type(loss) and clone.get_config() == loss.get_config()
    assert losses.get(config).get_config() == loss.get_config()
    rng = np.random.default_rng(0)
    y_true = np.eye(4, dtype=np.float32)[rng.integers(0, 4, size=6)]
    y_pred = rng.uniform(0.1, 1.0, size=(6, 4)).astype(np.float32)
    if isinstance(loss, losses.SparseCategoricalCrossentropy):
        y_true = rng.integers(0, 4, size=6)
    np.testing.assert_allclose(clone(y_true, y_pred), loss(y_true, y_pred), rtol=1e-6)


def test_functions_serialize_as_their_names():
    assert losses.serialize(losses.mse) == "mean_squared_error"
    assert losses.deserialize("mean_squared_error") is losses.mean_squared_error


def test_facade_exposes_losses():
    assert lamella.losses is losses
    assert lamella.losses.MeanSquaredError is losses.MeanSquaredError


def test_losses_in_compile_resolve_by_name_and_alias():
    from lamella.testing import Linear, PlainSGD

    model = lamella.Sequential([lamella.Input((2,)), Linear(1)])
    x = np.ones((4, 2), np.float32)
    y = np.zeros((4,), np.float32)
    results = {}
    for loss in ("mse", "mean_squared_error", losses.MeanSquaredError(), "MeanSquaredError"):
        model.compile(optimizer=PlainSGD(), loss=loss)
        results[str(loss)] = model.evaluate(x, y, verbose=0)
    prediction = np.asarray(model.predict(x, verbose=0))
    expected = np.mean(np.square(prediction[:, 0]))
    for value in results.values():
        np.testing.assert_allclose(value, expected, rtol=1e-6)
