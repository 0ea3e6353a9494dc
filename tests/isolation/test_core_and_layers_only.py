"""With only lamella-core and lamella-layers installed (tox env ``isolation``), the
absent distributions are named wherever a user would reach for them."""

import importlib.metadata

import numpy as np
import pytest

import lamella
from lamella.layers import Dense
from lamella.models import Sequential


def test_only_core_and_layers_are_installed():
    names = {d.metadata["Name"] for d in importlib.metadata.distributions()}
    assert {"lamella-core", "lamella-layers"} <= names
    assert not names & {"lamella-losses", "lamella-optimizers", "lamella-callbacks"}


def test_import_of_an_absent_distribution_names_it():
    with pytest.raises(ModuleNotFoundError, match="pip install lamella-optimizers") as info:
        import lamella.optimizers  # noqa: F401
    assert info.value.name == "lamella.optimizers"


def test_attribute_access_names_the_distribution():
    with pytest.raises(AttributeError, match="lamella-callbacks"):
        lamella.callbacks  # noqa: B018


def test_compile_with_adam_names_lamella_optimizers():
    model = Sequential([Dense(4, input_shape=(3,))])
    with pytest.raises(ValueError, match="pip install lamella-optimizers"):
        model.compile(optimizer="adam", loss="mse")


def test_layers_still_work_without_training_distributions():
    model = Sequential([Dense(4, input_shape=(3,), kernel_initializer="ones")])
    out = model.predict(np.ones((2, 3), np.float32), verbose=0)
    np.testing.assert_allclose(out, np.full((2, 4), 3.0))
