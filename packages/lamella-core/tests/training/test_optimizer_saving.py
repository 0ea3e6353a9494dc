"""``OptimizerSaving``: an optimizer's variables and config, saved and restored, on
lamella-core alone (with ``PlainSGD``)."""

import numpy as np
import pytest

import lamella
from lamella.testing import PlainSGD

GRADIENTS = [[1.0, -2.0], [0.5, 0.5], [-1.0, 3.0], [2.0, 0.0]]


def _run(optimizer, weights, gradients):
    variable = lamella.Variable(np.asarray(weights, np.float32))
    for g in gradients:
        optimizer.apply([np.asarray(g, np.float32)], [variable])
    return variable


def test_state_assigned_into_a_fresh_optimizer_continues_identically():
    straight = _run(PlainSGD(0.1, use_ema=True, gradient_accumulation_steps=2), [1.0, 1.0], GRADIENTS).numpy()
    first = PlainSGD(0.1, use_ema=True, gradient_accumulation_steps=2)
    variable = _run(first, [1.0, 1.0], GRADIENTS[:3])
    store = {}
    first.save_own_variables(store)
    second = PlainSGD.from_config(first.get_config())
    restored = lamella.Variable(variable.numpy())
    second.build([restored])
    second.load_own_variables(store)
    second.apply([np.asarray(GRADIENTS[3], np.float32)], [restored])
    np.testing.assert_allclose(restored.numpy(), straight, rtol=1e-6)


def test_config_lists_every_base_option():
    config = PlainSGD(0.1, use_ema=True, ema_momentum=0.5, gradient_accumulation_steps=3, loss_scale_factor=8.0).get_config()
    assert {k: config[k] for k in ("use_ema", "ema_momentum", "gradient_accumulation_steps", "loss_scale_factor")} == {
        "use_ema": True, "ema_momentum": 0.5, "gradient_accumulation_steps": 3, "loss_scale_factor": 8.0}
    assert PlainSGD.from_config(config).get_config() == config
    with_decay = PlainSGD(0.1, decay=0.5).get_config()
    assert with_decay["decay"] == 0.5 and "decay" not in config


def _built(**options):
    optimizer = PlainSGD(0.1, use_ema=True, **options)
    optimizer.build([lamella.Variable(np.ones(2, np.float32))])
    return optimizer


def test_save_own_variables_numbers_them_in_order():
    optimizer = _built()
    optimizer.apply([np.asarray([1.0, 2.0], np.float32)])
    store = {}
    optimizer.save_own_variables(store)
    assert sorted(store) == [str(i) for i in range(len(optimizer.variables))]
    for index, variable in enumerate(optimizer.variables):
        np.testing.assert_array_equal(store[str(index)], variable.numpy())
    assert store["0"] == 1  # the iteration count comes first, as in Keras


def test_set_weights_checks_count_and_shapes_before_assigning_anything():
    optimizer = _built()
    before = [v.numpy().copy() for v in optimizer.variables]
    with pytest.raises(ValueError, match=f"expected {len(before)} arrays .* Received: 2"):
        optimizer.set_weights(before[:2])
    wrong = [np.full_like(b, 7) for b in before[:-1]] + [np.zeros((3,), np.float32)]
    with pytest.raises(ValueError, match=r"has shape \(2,\). Received an array of shape \(3,\)"):
        optimizer.set_weights(wrong)
    for value, variable in zip(before, optimizer.variables):
        np.testing.assert_array_equal(value, variable.numpy())


def test_set_weights_needs_a_built_optimizer():
    with pytest.raises(ValueError, match="PlainSGD.set_weights needs the optimizer built"):
        PlainSGD(0.1).set_weights([])
