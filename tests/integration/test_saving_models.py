"""Whole-model files with every distribution installed: the Adam optimizer's slots
survive a save, and a plugin's class missing at load time names its distribution."""

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
