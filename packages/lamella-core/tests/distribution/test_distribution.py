"""set_distribution, distribution(), scope(), and the layouts of the base class."""

import numpy as np
import pytest

import lamella
from lamella import distribution


def test_set_distribution_and_scope():
    assert distribution.distribution() is None
    data_parallel = distribution.DataParallel()
    with data_parallel.scope() as active:
        assert active is data_parallel and distribution.distribution() is data_parallel
    assert distribution.distribution() is None
    distribution.set_distribution(data_parallel)
    assert distribution.distribution() is data_parallel
    distribution.set_distribution(None)
    assert distribution.distribution() is None
    with pytest.raises(TypeError, match="set_distribution expected a Distribution"):
        distribution.set_distribution("data_parallel")


def test_clear_session_forgets_the_distribution():
    distribution.set_distribution(distribution.DataParallel())
    lamella.backend.clear_session()
    assert distribution.distribution() is None


def test_data_layout_splits_the_first_axis_only():
    mesh = distribution.DeviceMesh((1, 1), ["data", "model"])
    base = distribution.Distribution(mesh)
    assert base.batch_dim_name == "data" and base.data_parallel_size == 1
    assert base.get_data_layout((8, 3, 2)).axes == ("data", None, None)
    assert base.get_variable_layout(lamella.Variable(np.zeros((2, 3)))).axes == (None, None)
    assert base.get_tensor_layout("dense/output") is None
    assert base.num_processes == 1
    with pytest.raises(ValueError, match="batch_dim_name must be an axis of the mesh \\['data', 'model'\\]"):
        distribution.Distribution(mesh, batch_dim_name="batch")
    with pytest.raises(ValueError, match="expected a DeviceMesh"):
        distribution.Distribution(None)


def test_distribute_tensor_inside_and_outside_jit():
    import jax

    layout = distribution.TensorLayout(("batch",), distribution.DeviceMesh((1,), ["batch"]))
    placed = distribution.distribute_tensor(np.arange(4.0), layout)
    assert placed.sharding.is_equivalent_to(layout.backend_layout, 1)
    traced = jax.jit(lambda x: distribution.distribute_tensor(x * 2, layout))(placed)
    np.testing.assert_array_equal(np.asarray(traced), [0.0, 2.0, 4.0, 6.0])
    with pytest.raises(ValueError, match="TensorLayout or a jax Sharding"):
        distribution.distribute_tensor(placed, ("batch",))
