"""Training on several devices and hosts, on jax's own sharding machinery.

A distribution says where data and variables live on a ``DeviceMesh``;
``fit``, ``evaluate`` and ``predict`` then place every array with
``jax.sharding`` (a ``NamedSharding`` over a ``Mesh``) and XLA partitions the
compiled steps, inserting the collectives. Nothing else about the model or the
training code changes::

    from lamella import distribution

    distribution.set_distribution(distribution.DataParallel())
    model.fit(x, y, batch_size=128)          # the batch split over every device

See ``docs/distribution.md``.
"""

import jax

from lamella.distribution.data_parallel import DataParallel
from lamella.distribution.device_mesh import DeviceMesh
from lamella.distribution.devices import get_device_count, list_devices
from lamella.distribution.distribution import Distribution, distribution, set_distribution
from lamella.distribution.layout_map import LayoutMap
from lamella.distribution.model_parallel import ModelParallel
from lamella.distribution.multi_host import initialize
from lamella.distribution.tensor_layout import TensorLayout

__all__ = [
    "DataParallel",
    "DeviceMesh",
    "Distribution",
    "LayoutMap",
    "ModelParallel",
    "TensorLayout",
    "distribute_tensor",
    "distribution",
    "get_device_count",
    "initialize",
    "list_devices",
    "set_distribution",
]


def distribute_tensor(tensor, layout):
    """``tensor`` laid out as ``layout``, inside a compiled function or outside.

    Outside ``jax.jit`` the array is moved (``jax.device_put``); inside, XLA is
    told the layout (``jax.lax.with_sharding_constraint``).

    Args:
        tensor: an array.
        layout: a ``TensorLayout`` (with its mesh) or a ``jax.sharding.Sharding``.
    """
    sharding = layout.backend_layout if isinstance(layout, TensorLayout) else layout
    if not isinstance(sharding, jax.sharding.Sharding):
        raise ValueError(
            f"distribute_tensor expected a TensorLayout or a jax Sharding. Received: layout={layout!r}"
        )
    if isinstance(tensor, jax.core.Tracer):
        return jax.lax.with_sharding_constraint(tensor, sharding)
    return jax.device_put(tensor, sharding)
