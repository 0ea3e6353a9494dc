"""``LayoutMap``: layouts of variables chosen by regular expressions on their paths."""

import collections.abc
import re

from lamella.distribution.tensor_layout import TensorLayout


class LayoutMap(collections.abc.MutableMapping):
    """Maps regular expressions on variable paths to ``TensorLayout``s.

    A variable's path is ``layer_name/weight_name`` (``'dense_1/kernel'``). Looking
    a path up returns the layout of the key equal to it, else of the one key
    whose expression matches part of it (``re.search``), else ``None`` (the
    variable is replicated). Two matching keys are an error, so the rules never
    depend on their order.

    Args:
        device_mesh: the ``DeviceMesh`` every layout of the map lives on.

    Example:

    >>> mesh = DeviceMesh((1, 1), ["batch", "model"])
    >>> layout_map = LayoutMap(mesh)
    >>> layout_map["dense.*kernel"] = (None, "model")
    >>> layout_map["dense.*bias"] = ("model",)
    >>> layout_map["dense_1/kernel"].axes
    (None, 'model')
    """

    def __init__(self, device_mesh):
        from lamella.distribution.device_mesh import DeviceMesh

        if not isinstance(device_mesh, DeviceMesh):
            raise ValueError(
                f"LayoutMap expected a DeviceMesh. Received: device_mesh={device_mesh!r}"
            )
        self._device_mesh = device_mesh
        self._layouts = {}

    @property
    def device_mesh(self):
        return self._device_mesh

    def __getitem__(self, path):
        if path in self._layouts:
            return self._layouts[path]
        matches = [key for key in self._layouts if re.search(key, path)]
        if len(matches) > 1:
            raise ValueError(
                f"Variable path {path!r} matches several keys of the LayoutMap: "
                f"{matches}. Make the expressions exclusive."
            )
        return self._layouts[matches[0]] if matches else None

    def __setitem__(self, key, layout):
        if not isinstance(key, str):
            raise TypeError(f"LayoutMap keys are regular expressions (strings). Received: {key!r}")
        if key in self._layouts:
            raise ValueError(
                f"LayoutMap already has a layout for {key!r}: {self._layouts[key]!r}. "
                "Delete it first to change it."
            )
        try:
            re.compile(key)
        except re.error as error:
            raise ValueError(f"LayoutMap key {key!r} is not a valid regular expression: {error}") from None
        if isinstance(layout, tuple | list):
            layout = TensorLayout(tuple(layout))
        if not isinstance(layout, TensorLayout):
            raise ValueError(
                "LayoutMap values are TensorLayouts or tuples of mesh axis names. "
                f"Received: {layout!r} for {key!r}"
            )
        if layout.device_mesh is None:
            layout.device_mesh = self._device_mesh
        elif layout.device_mesh != self._device_mesh:
            raise ValueError(
                f"The layout for {key!r} is on another DeviceMesh than the LayoutMap's."
            )
        self._layouts[key] = layout

    def __delitem__(self, key):
        del self._layouts[key]

    def __len__(self):
        return len(self._layouts)

    def __iter__(self):
        return iter(self._layouts)

    def __repr__(self):
        return f"<LayoutMap {dict((k, v.axes) for k, v in self._layouts.items())}>"
