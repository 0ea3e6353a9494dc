"""``ModelParallel``: weights split across devices by a ``LayoutMap``."""

from lamella.distribution.distribution import Distribution
from lamella.distribution.layout_map import LayoutMap
from lamella.distribution.tensor_layout import TensorLayout


class ModelParallel(Distribution):
    """Model (and data) parallelism on a multi-axis mesh.

    Each variable whose path matches a key of ``layout_map`` is split as its
    layout says; the others are replicated. The batch is split along
    ``batch_dim_name`` (and copied along the other axes), so a mesh of shape
    ``(2, 4)`` with axes ``("batch", "model")`` runs two data-parallel replicas,
    each splitting its weights four ways. An optimizer's slots (momentums, ...)
    follow the layout of their variable.

    Args:
        layout_map: a ``LayoutMap``; its mesh is the distribution's.
        batch_dim_name: the mesh axis the batch is split along (default the
            first axis).

    Example:

    >>> mesh = DeviceMesh((1, 1), ["batch", "model"])
    >>> layout_map = LayoutMap(mesh)
    >>> layout_map["dense.*kernel"] = (None, "model")
    >>> distribution = ModelParallel(layout_map=layout_map, batch_dim_name="batch")
    """

    def __init__(self, *, layout_map=None, batch_dim_name=None):
        if not isinstance(layout_map, LayoutMap):
            raise ValueError(
                f"ModelParallel expected a LayoutMap for layout_map. Received: layout_map={layout_map!r}"
            )
        super().__init__(layout_map.device_mesh, batch_dim_name)
        self._layout_map = layout_map

    @property
    def layout_map(self):
        return self._layout_map

    def get_variable_layout(self, variable):
        layout = self._layout_map[variable.path]
        if layout is None:
            return super().get_variable_layout(variable)
        shape = tuple(variable.shape)
        if len(layout.axes) != len(shape):
            raise ValueError(
                f"ModelParallel: the layout {layout.axes} for variable {variable.path!r} "
                f"has {len(layout.axes)} axes, but the variable has shape {shape}."
            )
        for dimension, size in enumerate(shape):
            pieces = layout.shards(dimension)
            if size % pieces:
                raise ValueError(
                    f"ModelParallel: variable {variable.path!r} of shape {shape} cannot be "
                    f"split by layout {layout.axes}: dimension {dimension} ({size}) is not "
                    f"a multiple of {pieces} devices."
                )
        return TensorLayout(layout.axes, self.device_mesh)

    def get_tensor_layout(self, path):
        return self._layout_map[path]
