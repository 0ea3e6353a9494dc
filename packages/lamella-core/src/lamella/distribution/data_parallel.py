"""``DataParallel``: the batch split across devices, every weight on every device."""

import numpy as np

from lamella.distribution.device_mesh import DeviceMesh
from lamella.distribution.devices import resolve_devices
from lamella.distribution.distribution import Distribution


class DataParallel(Distribution):
    """Data parallelism: each device runs the model on its slice of the batch.

    Every variable is replicated; each step splits the batch along the mesh's
    batch axis, and the gradients are averaged across the devices by the
    all-reduce XLA inserts. With the same seed and data, training follows the
    same steps as on one device (up to the order of float additions).

    Args:
        device_mesh: a one-dimensional ``DeviceMesh`` (its axis is the batch
            axis). Give this or ``devices``.
        devices: the devices to use (default all of them, over every process).

    Example:

    >>> distribution = DataParallel(devices=list_devices())
    >>> set_distribution(distribution)       # model.fit(...) now uses them all
    >>> set_distribution(None)
    """

    def __init__(self, device_mesh=None, devices=None):
        if device_mesh is not None and devices is not None:
            raise ValueError(
                "DataParallel takes device_mesh or devices, not both. "
                f"Received: device_mesh={device_mesh!r}, devices={devices!r}"
            )
        if device_mesh is None:
            resolved = resolve_devices(None if devices is None else list(np.asarray(devices, dtype=object).reshape(-1)))
            device_mesh = DeviceMesh((len(resolved),), ["batch"], resolved)
        elif isinstance(device_mesh, DeviceMesh) and len(device_mesh.shape) != 1:
            raise ValueError(
                "DataParallel expected a one-dimensional DeviceMesh. Received a mesh "
                f"of shape {device_mesh.shape}; for several axes use ModelParallel."
            )
        super().__init__(device_mesh)
