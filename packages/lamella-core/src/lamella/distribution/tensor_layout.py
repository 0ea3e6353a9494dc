"""``TensorLayout``: how one array is split over the axes of a ``DeviceMesh``."""

from jax.sharding import NamedSharding, PartitionSpec


class TensorLayout:
    """For each dimension of an array, the mesh axis it is split along (or ``None``).

    ``TensorLayout((None, "model"))`` on a Dense kernel of shape ``(in, units)``
    splits the units across the devices of the ``"model"`` axis and keeps every
    input row whole; ``TensorLayout((None, None))`` (or ``()``, any rank)
    replicates the array. A dimension may be split over several axes at once:
    ``(("batch", "model"), None)``.

    Args:
        axes: one entry per dimension: a mesh axis name, a tuple of names, or
            ``None``.
        device_mesh: the ``DeviceMesh``; may be set later (a ``LayoutMap`` sets
            its own).

    Example:

    >>> layout = TensorLayout((None, "model"))
    >>> layout.axes
    (None, 'model')
    """

    def __init__(self, axes, device_mesh=None):
        if isinstance(axes, str):
            axes = (axes,)
        self._axes = tuple(tuple(a) if isinstance(a, list) else a for a in axes)
        for axis in self._axes:
            names = axis if isinstance(axis, tuple) else (axis,)
            if not all(n is None or isinstance(n, str) for n in names):
                raise ValueError(
                    "TensorLayout expected mesh axis names or None for every "
                    f"dimension. Received: axes={axes!r}"
                )
        self._device_mesh = None
        if device_mesh is not None:
            self.device_mesh = device_mesh

    @property
    def axes(self):
        return self._axes

    @property
    def device_mesh(self):
        return self._device_mesh

    @device_mesh.setter
    def device_mesh(self, device_mesh):
        if self._device_mesh is not None and self._device_mesh != device_mesh:
            raise ValueError(
                "This TensorLayout already belongs to another DeviceMesh. "
                f"Received: {device_mesh!r}, already {self._device_mesh!r}"
            )
        used = [n for a in self._axes for n in (a if isinstance(a, tuple) else (a,)) if n is not None]
        unknown = sorted(set(used) - set(device_mesh.axis_names))
        if unknown:
            raise ValueError(
                f"TensorLayout axes {self._axes} name {unknown}, which the mesh "
                f"does not have: its axes are {list(device_mesh.axis_names)}."
            )
        if len(used) != len(set(used)):
            raise ValueError(f"TensorLayout uses a mesh axis twice. Received: axes={self._axes}")
        self._device_mesh = device_mesh

    @property
    def backend_layout(self):
        """The ``jax.sharding.NamedSharding``."""
        if self._device_mesh is None:
            raise ValueError(
                f"TensorLayout {self._axes} has no DeviceMesh yet: pass device_mesh= "
                "or add it to a LayoutMap."
            )
        return NamedSharding(self._device_mesh.backend_mesh, PartitionSpec(*self._axes))

    def shards(self, dimension):
        """How many pieces dimension ``dimension`` is cut into."""
        axis = self._axes[dimension] if dimension < len(self._axes) else None
        count = 1
        for name in axis if isinstance(axis, tuple) else (axis,):
            if name is not None:
                count *= self._device_mesh.axis_size(name)
        return count

    def __eq__(self, other):
        return isinstance(other, TensorLayout) and (other._axes, other._device_mesh) == (
            self._axes, self._device_mesh
        )

    def __hash__(self):
        return hash((self._axes, self._device_mesh))

    def __repr__(self):
        return f"<TensorLayout axes={self._axes}, device_mesh={self._device_mesh!r}>"
