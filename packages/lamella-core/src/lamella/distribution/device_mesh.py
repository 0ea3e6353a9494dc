"""``DeviceMesh``: devices arranged in a named grid (a ``jax.sharding.Mesh``)."""

import math

import numpy as np
from jax.sharding import Mesh

from lamella.distribution.devices import resolve_devices


class DeviceMesh:
    """A grid of devices with a name per axis.

    Data and weights are laid out on the mesh by naming its axes: the batch is
    split along a "batch" axis (data parallelism), a weight along a "model" axis
    (model parallelism). It wraps a ``jax.sharding.Mesh``; XLA inserts the
    collectives between the devices.

    Args:
        shape: the number of devices along each axis; their product is the
            number of devices.
        axis_names: one name per axis.
        devices: the devices (``jax.Device`` objects or names such as
            ``'cpu:0'``), in row-major order over the grid; default every device
            of every process.

    Example:

    >>> mesh = DeviceMesh(shape=(1,), axis_names=["batch"])
    >>> mesh.axis_names
    ('batch',)
    """

    def __init__(self, shape, axis_names, devices=None):
        if isinstance(shape, int):
            shape = (shape,)
        shape = tuple(shape)
        if not shape or any(not isinstance(d, int | np.integer) or d < 1 for d in shape):
            raise ValueError(
                "DeviceMesh expected a shape of positive integers. "
                f"Received: shape={shape!r}"
            )
        if isinstance(axis_names, str):
            axis_names = (axis_names,)
        axis_names = tuple(axis_names)
        if len(axis_names) != len(shape):
            raise ValueError(
                "DeviceMesh expected one axis name per dimension of the shape. "
                f"Received: shape={shape}, axis_names={axis_names}"
            )
        if len(set(axis_names)) != len(axis_names) or not all(
            isinstance(n, str) and n for n in axis_names
        ):
            raise ValueError(
                f"DeviceMesh expected distinct, non-empty axis names. Received: axis_names={axis_names}"
            )
        resolved = resolve_devices(None if devices is None else list(np.asarray(devices, dtype=object).reshape(-1)))
        if math.prod(shape) != len(resolved):
            raise ValueError(
                f"DeviceMesh of shape {shape} needs {math.prod(shape)} devices. "
                f"Received {len(resolved)} devices."
            )
        self._shape = tuple(int(d) for d in shape)
        self._axis_names = axis_names
        self._devices = np.asarray(resolved, dtype=object).reshape(self._shape)
        self._mesh = Mesh(self._devices, self._axis_names)

    @property
    def shape(self):
        return self._shape

    @property
    def axis_names(self):
        return self._axis_names

    @property
    def devices(self):
        """The devices, as a numpy array of ``jax.Device`` shaped like the mesh."""
        return self._devices

    @property
    def backend_mesh(self):
        """The ``jax.sharding.Mesh``."""
        return self._mesh

    def axis_size(self, name):
        """The number of devices along axis ``name``."""
        if name not in self._axis_names:
            raise ValueError(
                f"The mesh has axes {self._axis_names}. Received: {name!r}"
            )
        return self._shape[self._axis_names.index(name)]

    def __eq__(self, other):
        return isinstance(other, DeviceMesh) and self._mesh == other._mesh

    def __hash__(self):
        return hash(self._mesh)

    def __repr__(self):
        return f"<DeviceMesh shape={self._shape}, axis_names={list(self._axis_names)}>"
