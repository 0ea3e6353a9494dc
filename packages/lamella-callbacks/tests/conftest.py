"""Tiny models and scripted logs for callback tests (lamella-core alone)."""

import numpy as np
import pytest

import lamella
from lamella.testing import Linear, PlainSGD, squared_error
from lamella.training.callbacks import Callback


def linear_problem(n=40, features=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype(np.float32)
    y = (x @ rng.normal(size=(features, 1))).astype(np.float32)
    return x, y


def linear_model(features=3, rate=0.05, seed=7):
    lamella.utils.set_random_seed(seed)
    model = lamella.Sequential([lamella.Input((features,)), Linear(1)])
    model.compile(optimizer=PlainSGD(rate), loss=squared_error)
    return model


class Scripted(Callback):
    """Replaces ``name`` in each epoch's logs by the next scripted value (put it
    before the callback under test), and records the weights at each epoch end."""

    reads_model_per_batch = False

    def __init__(self, name, values):
        super().__init__()
        self.name, self.values = name, list(values)
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        logs[self.name] = float(self.values[epoch])
        self.weights.append(self.model.get_weights())


@pytest.fixture
def problem():
    """``problem(n=40, features=3, seed=0) -> (x, y)``: a noiseless linear regression."""
    return linear_problem


@pytest.fixture
def make_model():
    """``make_model(features=3, rate=0.05, seed=7)``: a compiled one-unit ``Linear``."""
    return linear_model


@pytest.fixture
def scripted():
    """The ``Scripted`` callback class."""
    return Scripted
