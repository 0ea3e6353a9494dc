"""lamella's plugin system (pluggy): markers, registries and the plugin manager.

Writing a plugin: implement hooks from ``lamella.plugins.hookspecs`` marked with
``hookimpl`` and name the module in your distribution's ``lamella`` entry-point
group. See ``docs/plugins.md`` for a walk-through.
"""

import pluggy

from lamella.plugins.errors import (
    LamellaPluginWarning,
    PluginConflictError,
    PluginError,
    PluginLoadError,
    UnknownNameError,
)
from lamella.plugins.hookspecs import hookspec
from lamella.plugins.manager import PluginFailure, get_manager, reset_manager
from lamella.plugins.registry import KINDS, PluginInfo, Registry

hookimpl = pluggy.HookimplMarker("lamella")

__all__ = [
    "KINDS",
    "LamellaPluginWarning",
    "PluginConflictError",
    "PluginError",
    "PluginFailure",
    "PluginInfo",
    "PluginLoadError",
    "Registry",
    "UnknownNameError",
    "get_manager",
    "get_registry",
    "hookimpl",
    "hookspec",
    "register",
    "reset_manager",
    "unregister",
]


def get_registry(kind):
    """The registry of ``kind`` (``'layers'``, ``'losses'``, ...), plugins loaded."""
    return get_manager().registry(kind)


def register(plugin, name=None, distribution=None, version="0"):
    """Registers a plugin object by hand: a module or object with hook functions."""
    return get_manager().register(plugin, name=name, distribution=distribution, version=version)


def unregister(name):
    """Removes a plugin registered under ``name`` and what it registered."""
    get_manager().unregister(name)
