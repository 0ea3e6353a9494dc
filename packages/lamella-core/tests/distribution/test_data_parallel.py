"""DataParallel: construction and its checks (training on several devices is in
test_placement.py, in processes that see four devices)."""

import numpy as np
import pytest

import lamella
from lamella.distribution import DataParallel, DeviceMesh


def test_data_parallel_uses_every_device_by_default():
    distribution = DataParallel()
    assert distribution.device_mesh.axis_names == ("batch",)
    assert distribution.device_mesh.shape == (len(lamella.distribution.list_devices()),)
    assert distribution.get_variable_layout(lamella.Variable(np.zeros((3, 2)))).axes == (None, None)
    assert DataParallel(devices=["cpu:0"]).device_mesh.shape == (1,)
    mesh = DeviceMesh((1,), ["data"])
    assert DataParallel(device_mesh=mesh).batch_dim_name == "data"


def test_data_parallel_refuses_conflicting_or_multi_axis_meshes():
    with pytest.raises(ValueError, match="device_mesh or devices, not both"):
        DataParallel(device_mesh=DeviceMesh((1,), ["batch"]), devices=["cpu:0"])
    with pytest.raises(ValueError, match="one-dimensional DeviceMesh. Received a mesh of shape \\(1, 1\\)"):
        DataParallel(device_mesh=DeviceMesh((1, 1), ["batch", "model"]))
