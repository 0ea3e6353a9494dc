"""Errors and warnings of the plugin system."""


class LamellaPluginWarning(UserWarning):
    """A plugin failed to load; the others still work."""


class PluginError(Exception):
    """Base class of plugin errors."""


class PluginLoadError(PluginError):
    """A plugin failed to load and ``LAMELLA_STRICT_PLUGINS=1`` makes that fatal."""


class PluginConflictError(PluginError, ValueError):
    """Two plugins registered different objects under the same name."""


class UnknownNameError(ValueError):
    """No plugin registered the name asked for."""
