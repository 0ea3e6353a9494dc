"""Building blocks for lamella-core's own tests.

lamella-core is tested alone (tox env ``core``): no lamella-layers, -losses or
-optimizers. These fixtures provide the minimal layer, loss and optimizer of
``lamella.testing``, written against the core base classes.
"""

import pytest

from lamella.testing import Linear, PlainSGD, squared_error


@pytest.fixture
def linear():
    return Linear


@pytest.fixture
def plain_sgd():
    return PlainSGD


@pytest.fixture
def squared_error_loss():
    return squared_error
