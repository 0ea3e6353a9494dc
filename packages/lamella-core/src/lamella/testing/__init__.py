"""Helpers for testing lamella code: the package's own tests and plugin authors'.

- ``Linear``, ``PlainSGD`` and ``squared_error``: the smallest layer, optimizer and
  loss written against lamella-core's base classes, so that a distribution that
  depends on lamella-core alone (a callback plugin, a preprocessing utility) can
  train a model in its tests without installing lamella-layers, -losses or
  -optimizers.
- ``check_layer``: the checks every layer should pass (config round trip, shapes
  eager and symbolic, the registered name, the compiled call), in one call.
- ``run_on_devices`` and ``run_processes``: code run in fresh processes that see
  several CPU devices, or that form a multi-process jax job on 127.0.0.1.
"""

from lamella.testing.layer_checks import check_layer
from lamella.testing.minimal_objects import Linear, PlainSGD, squared_error
from lamella.testing.multi_device import run_on_devices, run_processes

__all__ = ["Linear", "PlainSGD", "check_layer", "run_on_devices", "run_processes", "squared_error"]
