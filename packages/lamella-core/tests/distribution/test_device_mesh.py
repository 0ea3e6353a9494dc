"""DeviceMesh: a jax Mesh with checked shape, axis names and devices."""

import jax
import pytest
from jax.sharding import Mesh

from lamella.distribution import DeviceMesh


def test_mesh_wraps_a_jax_mesh():
    mesh = DeviceMesh((1, 1), ["batch", "model"])
    assert mesh.shape == (1, 1) and mesh.axis_names == ("batch", "model")
    assert isinstance(mesh.backend_mesh, Mesh)
    assert mesh.backend_mesh.axis_names == ("batch", "model")
    assert mesh.devices.shape == (1, 1) and mesh.devices[0, 0] == jax.devices()[0]
    assert mesh.axis_size("model") == 1
    assert mesh == DeviceMesh((1, 1), ["batch", "model"], devices=["cpu:0"])
    assert "batch" in repr(mesh)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"shape": (0,), "axis_names": ["batch"]}, "positive integers. Received: shape=\\(0,\\)"),
        ({"shape": (1, 1), "axis_names": ["batch"]}, "one axis name per dimension"),
        ({"shape": (1, 1), "axis_names": ["a", "a"]}, "distinct"),
        ({"shape": (2,), "axis_names": ["batch"]}, "needs 2 devices. Received 1"),
    ],
)
def test_invalid_meshes_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DeviceMesh(**kwargs)


def test_axis_size_names_the_axes():
    with pytest.raises(ValueError, match="axes \\('batch',\\). Received: 'model'"):
        DeviceMesh((1,), ["batch"]).axis_size("model")
