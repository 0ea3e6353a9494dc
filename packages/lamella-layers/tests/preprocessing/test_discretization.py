"""Discretization: buckets like Keras 3, adapted quantile boundaries."""

import numpy as np
import pytest

from lamella import layers
from lamella.layers.preprocessing.discretization import _quantile_boundaries
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("mode", ["int", "one_hot", "multi_hot", "count"])
def test_buckets_match_keras(keras, mode):
    data = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]], np.float32)
    boundaries = [0.0, 1.0, 2.0]
    if mode == "one_hot":
        data = data.reshape(-1)
    ours = layers.Discretization(bin_boundaries=boundaries, output_mode=mode)(data)
    theirs = keras.layers.Discretization(bin_boundaries=boundaries, output_mode=mode)(data)
    np.testing.assert_array_equal(ours, theirs)


def test_adapt_finds_quantiles():
    data = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]])
    layer = layers.Discretization(num_bins=4, epsilon=0.01)
    layer.adapt(data)
    # Sorted: -1.5 0 0 0.5 1 1.3 3 3.4; cumulative quarters fall on 0, 0.5 and 1.3.
    assert layer.bin_boundaries == [0.0, 0.5, 1.3]
    assert layer(data).tolist() == [[0, 2, 3, 2], [1, 3, 3, 1]]
    big = np.random.default_rng(0).normal(size=100_000)
    np.testing.assert_allclose(_quantile_boundaries(big, 4, 0.001), np.quantile(big, [0.25, 0.5, 0.75]), atol=0.01)
    rebuilt = layers.Discretization.from_config(layer.get_config())
    np.testing.assert_array_equal(rebuilt(data), layer(data))


def test_contract_and_errors():
    check_layer(layers.Discretization, {"bin_boundaries": [0.0, 1.0]}, input_shape=(3, 2),
                registered_as="Discretization")
    with pytest.raises(ValueError, match="either bin_boundaries or num_bins"):
        layers.Discretization()
    with pytest.raises(ValueError, match="sorted bin_boundaries"):
        layers.Discretization(bin_boundaries=[1.0, 0.0])
    with pytest.raises(ValueError, match="no bin_boundaries yet: call adapt"):
        layers.Discretization(num_bins=3)(np.zeros((2, 1)))
    with pytest.raises(ValueError, match="nothing to adapt"):
        layers.Discretization(bin_boundaries=[0.0]).adapt(np.zeros(3))
