"""TensorLayout: mesh axes per dimension, as a NamedSharding."""

import pytest
from jax.sharding import NamedSharding, PartitionSpec

from lamella.distribution import DeviceMesh, TensorLayout


def test_layout_becomes_a_named_sharding():
    mesh = DeviceMesh((1, 1), ["batch", "model"])
    layout = TensorLayout((None, "model"), mesh)
    sharding = layout.backend_layout
    assert isinstance(sharding, NamedSharding)
    assert sharding.spec == PartitionSpec(None, "model")
    assert sharding.mesh == mesh.backend_mesh
    assert layout.shards(0) == 1 and layout.shards(1) == 1
    assert TensorLayout([("batch", "model"), None], mesh).backend_layout.spec == PartitionSpec(("batch", "model"), None)


def test_layout_axes_must_be_axes_of_the_mesh():
    mesh = DeviceMesh((1,), ["batch"])
    with pytest.raises(ValueError, match="name \\['model'\\], which the mesh does not have"):
        TensorLayout((None, "model"), mesh)
    with pytest.raises(ValueError, match="uses a mesh axis twice"):
        TensorLayout(("batch", "batch"), mesh)
    with pytest.raises(ValueError, match="mesh axis names or None"):
        TensorLayout((None, 3))


def test_layout_without_mesh_cannot_become_a_sharding():
    layout = TensorLayout((None, "model"))
    with pytest.raises(ValueError, match="has no DeviceMesh yet"):
        layout.backend_layout
    first, second = DeviceMesh((1,), ["model"]), DeviceMesh((1, 1), ["batch", "model"])
    layout.device_mesh = first
    with pytest.raises(ValueError, match="already belongs to another DeviceMesh"):
        layout.device_mesh = second
