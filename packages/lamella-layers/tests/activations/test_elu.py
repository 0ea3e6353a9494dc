"""``ELU`` against Keras 3."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("alpha", [1.0, 0.5, 2.0])
def test_elu_matches_keras(twins, random_input, alpha):
    twins.compare("ELU", dict(alpha=alpha), random_input(4, 5) * 3, rtol=1e-6, atol=1e-6)


@pytest.mark.keras_parity
def test_elu_gradients_match_keras(twins, random_input):
    twins.compare_gradients("ELU", dict(alpha=1.5), random_input(3, 4) * 2)


def test_large_inputs_keep_finite_gradients():
    import jax

    grad = jax.grad(lambda x: layers.ELU()(x).sum())(np.array([100.0, -100.0], np.float32))
    np.testing.assert_allclose(grad, [1.0, 0.0], atol=1e-6)


def test_elu_keeps_the_layer_contract():
    check_layer(layers.ELU, {"alpha": 0.7}, input_shape=(2, 3), registered_as="ELU")
    with pytest.raises(ValueError, match="ELU expected a finite number for alpha"):
        layers.ELU(alpha="1")
