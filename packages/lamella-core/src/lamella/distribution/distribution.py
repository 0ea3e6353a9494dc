"""``Distribution``: where a model's data and variables live; the global setting."""

import contextlib

import jax

from lamella.backend import global_state
from lamella.distribution.device_mesh import DeviceMesh
from lamella.distribution.tensor_layout import TensorLayout

_KEY = "distribution"


class Distribution:
    """The base of distributions: a ``DeviceMesh`` and the axis the batch is split on.

    ``fit``, ``evaluate`` and ``predict`` ask the distribution set with
    ``set_distribution`` (or a ``scope``) where every array goes: the batch
    through ``get_data_layout``, each variable through ``get_variable_layout``.
    The compiled steps then run on every device of the mesh, and XLA inserts the
    collectives (the all-reduce of the gradients, the gathers of split weights).

    Args:
        device_mesh: the ``DeviceMesh``.
        batch_dim_name: the mesh axis the batch is split along (default its
            first axis).
    """

    def __init__(self, device_mesh, batch_dim_name=None):
        if not isinstance(device_mesh, DeviceMesh):
            raise ValueError(
                f"{type(self).__name__} expected a DeviceMesh. Received: device_mesh={device_mesh!r}"
            )
        batch_dim_name = device_mesh.axis_names[0] if batch_dim_name is None else batch_dim_name
        if batch_dim_name not in device_mesh.axis_names:
            raise ValueError(
                f"{type(self).__name__}: batch_dim_name must be an axis of the mesh "
                f"{list(device_mesh.axis_names)}. Received: batch_dim_name={batch_dim_name!r}"
            )
        self._device_mesh = device_mesh
        self._batch_dim_name = batch_dim_name

    @property
    def device_mesh(self):
        return self._device_mesh

    @property
    def batch_dim_name(self):
        return self._batch_dim_name

    @property
    def num_processes(self):
        """The number of processes taking part (``initialize`` starts several)."""
        return jax.process_count()

    @property
    def data_parallel_size(self):
        """The number of pieces a batch is cut into (devices along the batch axis)."""
        return self._device_mesh.axis_size(self._batch_dim_name)

    def get_data_layout(self, data_shape):
        """The layout of a batch of shape ``data_shape``: split on its first axis."""
        axes = [self._batch_dim_name] + [None] * (len(data_shape) - 1)
        return TensorLayout(axes, self._device_mesh)

    def get_variable_layout(self, variable):
        """The layout of ``variable`` (replicated unless a subclass says otherwise)."""
        return TensorLayout([None] * len(variable.shape), self._device_mesh)

    def get_tensor_layout(self, path):
        """The layout of the intermediate tensor at ``path``, or ``None``."""
        return None

    @contextlib.contextmanager
    def scope(self):
        """Makes this the distribution inside a ``with`` block."""
        previous = distribution()
        set_distribution(self)
        try:
            yield self
        finally:
            set_distribution(previous)

    def __repr__(self):
        return (
            f"<{type(self).__name__} device_mesh={self._device_mesh!r}, "
            f"batch_dim_name={self._batch_dim_name!r}>"
        )


def distribution():
    """The distribution in effect, or ``None`` (everything on the default device)."""
    return global_state.get(_KEY)


def set_distribution(value):
    """Sets the distribution of every ``fit``/``evaluate``/``predict`` from now on.

    Args:
        value: a ``Distribution`` (``DataParallel``, ``ModelParallel``), or
            ``None`` to go back to one device.
    """
    if value is not None and not isinstance(value, Distribution):
        raise TypeError(
            "set_distribution expected a Distribution (DataParallel, ModelParallel) "
            f"or None. Received: {value!r}"
        )
    global_state.set(_KEY, value)
