"""``Permute`` against Keras 3."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("dims", [(2, 1), (1, 2)])
def test_permute_2d_samples_matches_keras(twins, random_input, dims):
    twins.compare("Permute", dict(dims=dims), random_input(2, 3, 4), rtol=0, atol=0)


@pytest.mark.keras_parity
@pytest.mark.parametrize("dims", [(3, 1, 2), (2, 3, 1)])
def test_permute_3d_samples_matches_keras(twins, random_input, dims):
    twins.compare("Permute", dict(dims=dims), random_input(2, 3, 4, 5), rtol=0, atol=0)


def test_permute_keeps_the_layer_contract():
    check_layer(layers.Permute, {"dims": (2, 1)}, input_shape=(2, 3, 4), expected_output_shape=(2, 4, 3),
                registered_as="Permute")
    assert layers.Permute((2, 1)).compute_output_shape((None, None, 7)) == (None, 7, None)


@pytest.mark.parametrize("dims", [(0, 1), (1, 3), (1, 1), "21", 2])
def test_dims_that_are_not_a_permutation_raise(dims):
    with pytest.raises(ValueError, match="Permute expected dims") as error:
        layers.Permute(dims)
    assert f"dims={dims!r}" in str(error.value)


def test_input_of_the_wrong_rank_raises():
    with pytest.raises(ValueError, match="ndim=3"):
        layers.Permute((2, 1))(np.zeros((2, 3, 4, 5), np.float32))
