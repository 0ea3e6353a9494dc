"""Whole-model files with every distribution installed: optimizers' slots survive a
save (training continues exactly as if uninterrupted), and a plugin's class missing
at load time names its distribution."""

import numpy as np
import pytest

import lamella
from lamella.layers import Dense, Dropout
from lamella.models import load_model
from lamella.plugins import reset_manager


def _model():
    lamella.utils.set_random_seed(4)
    x = lamella.Input((6,))
    h = Dropout(0.3)(Dense(16, activation="relu")(x))
    model = lamella.Model(x, Dense(3, activation="softmax")(h))
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def test_adam_state_and_dropout_draws_survive_a_save(tmp_path, rng):
    x = rng.normal(size=(64, 6)).astype(np.float32)
    y = np.eye(3)[rng.integers(0, 3, 64)].astype(np.float32)
    model = _model()
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    assert type(loaded.optimizer).__name__ == "Adam"
    assert len(loaded.optimizer.variables) == len(model.optimizer.variables) > 2
    for mine, theirs in zip(model.optimizer.variables, loaded.optimizer.variables):
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())
    # Continued training: the same shuffles (seeded), the same dropout draws, the
    # same Adam moments, hence the same weights and logs.
    lamella.utils.set_random_seed(9)
    history = model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    lamella.utils.set_random_seed(9)
    loaded_history = loaded.fit(x, y, epochs=2, batch_size=16, verbose=0)
    assert history.history == loaded_history.history
    for mine, theirs in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(mine, theirs)


SLOTTED_OPTIMIZERS = {
    "adam": lambda: lamella.optimizers.Adam(learning_rate=0.01),
    "rmsprop_centered_momentum": lambda: lamella.optimizers.RMSprop(
        learning_rate=0.01, momentum=0.5, centered=True),
    "sgd_nesterov": lambda: lamella.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
    # Not use_ema: fit ends by writing the averages into the weights, so two fits
    # differ from one with or without a save in between (in Keras too).
    "adamw": lambda: lamella.optimizers.AdamW(learning_rate=0.01, weight_decay=0.05),
    "adagrad_accumulating": lambda: lamella.optimizers.Adagrad(
        learning_rate=0.05, gradient_accumulation_steps=2),
    "adadelta": lambda: lamella.optimizers.Adadelta(learning_rate=1.0),
    "adafactor": lambda: lamella.optimizers.Adafactor(learning_rate=0.05),
    "adamax": lambda: lamella.optimizers.Adamax(learning_rate=0.02),
    "ftrl": lambda: lamella.optimizers.Ftrl(learning_rate=0.1),
    "lamb": lambda: lamella.optimizers.Lamb(learning_rate=0.02),
    "lion": lambda: lamella.optimizers.Lion(learning_rate=0.005),
    "nadam": lambda: lamella.optimizers.Nadam(learning_rate=0.01),
}


@pytest.mark.parametrize("name", sorted(SLOTTED_OPTIMIZERS))
def test_two_epochs_saved_loaded_and_one_more_equal_three_uninterrupted(tmp_path, rng, name):
    x = rng.normal(size=(48, 6)).astype(np.float32)
    y = np.eye(3)[rng.integers(0, 3, 48)].astype(np.float32)

    def model():
        lamella.utils.set_random_seed(4)
        inputs = lamella.Input((6,))
        h = lamella.layers.BatchNormalization()(Dense(8, activation="relu")(inputs))
        built = lamella.Model(inputs, Dense(3, activation="softmax")(h))
        built.compile(optimizer=SLOTTED_OPTIMIZERS[name](), loss="categorical_crossentropy")
        return built

    uninterrupted = model()
    uninterrupted.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0)

    interrupted = model()
    interrupted.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
    interrupted.save(tmp_path / "m.keras")
    resumed = load_model(tmp_path / "m.keras")
    assert type(resumed.optimizer) is type(uninterrupted.optimizer)
    resumed.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)

    assert int(np.asarray(resumed.optimizer.iterations)) == int(np.asarray(uninterrupted.optimizer.iterations))
    for ours, want in zip(resumed.get_weights(), uninterrupted.get_weights(), strict=True):
        np.testing.assert_allclose(ours, want, rtol=1e-5, atol=1e-6)
    for ours, want in zip(resumed.optimizer.variables, uninterrupted.optimizer.variables, strict=True):
        np.testing.assert_allclose(np.asarray(ours.value), np.asarray(want.value), rtol=1e-5, atol=1e-6)
    # Had the slots been lost, the third epoch would have gone elsewhere.
    fresh = load_model(tmp_path / "m.keras", compile=False)
    fresh.compile(optimizer=SLOTTED_OPTIMIZERS[name](), loss="categorical_crossentropy")
    fresh.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
    assert max(np.abs(a - b).max() for a, b in zip(fresh.get_weights(), uninterrupted.get_weights())) > 1e-4


def test_a_missing_plugin_class_says_which_distribution_to_install(tmp_path, monkeypatch):
    from lamella_maxout import Maxout

    x = lamella.Input((4,))
    model = lamella.Model(x, Dense(1)(Maxout(3)(x)))
    model.save(tmp_path / "maxout.keras")
    monkeypatch.setenv("LAMELLA_DISABLED_PLUGINS", "lamella-maxout")
    reset_manager()
    try:
        with pytest.raises(ValueError, match="(?s)'Maxout'.*provided by lamella-maxout .*pip install lamella-maxout"):
            load_model(tmp_path / "maxout.keras")
    finally:
        monkeypatch.delenv("LAMELLA_DISABLED_PLUGINS")
        reset_manager()
    loaded = load_model(tmp_path / "maxout.keras")
    data = np.ones((2, 4), np.float32)
    np.testing.assert_array_equal(loaded.predict(data, verbose=0), model.predict(data, verbose=0))
