"""``StackedRNNCells``: cells feed each other; states and config."""

import numpy as np
import pytest

from lamella import layers


def test_stacked_cells_equal_the_cells_called_in_turn():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 3)).astype(np.float32)
    first, second = layers.LSTMCell(4), layers.SimpleRNNCell(2)
    stacked = layers.StackedRNNCells([first, second])
    states = stacked.get_initial_state(batch_size=2)
    output, new_states = stacked(x, states)
    h1, (h1_again, c1) = first(x, states[0])
    h2, _ = second(h1, states[1])
    np.testing.assert_allclose(output, h2, atol=1e-6)
    np.testing.assert_allclose(new_states[0][1], c1, atol=1e-6)
    assert stacked.state_size == [[4, 4], 2] and stacked.output_size == 2


def test_stacked_cells_config_round_trips():
    stacked = layers.StackedRNNCells([layers.GRUCell(3), layers.GRUCell(2)])
    copy = layers.StackedRNNCells.from_config(stacked.get_config())
    assert copy.get_config() == stacked.get_config()


def test_stacked_cells_reject_non_cells():
    with pytest.raises(ValueError, match="non-empty list of cells"):
        layers.StackedRNNCells([])
    with pytest.raises(ValueError, match="needs a call"):
        layers.StackedRNNCells([object()])
