"""The plugin manager: lazy, guarded discovery of the ``lamella`` entry points.

Discovery happens on the first registry look-up, not at ``import lamella``. Each
entry point is loaded on its own: one that fails to import, implements a hook that
does not exist, or raises while registering is recorded (name, distribution,
version, error), warned about once, and the others still load. pluggy's own
``load_setuptools_entrypoints`` would stop at the first failure, so entry points are
iterated here.

Environment:

- ``LAMELLA_STRICT_PLUGINS=1``: a failing plugin raises ``PluginLoadError``.
- ``LAMELLA_DISABLE_PLUGIN_AUTOLOAD=1``: entry points are not loaded, except those
  named in ``LAMELLA_PLUGINS=a,b``.
- ``LAMELLA_DISABLED_PLUGINS=a,b``: these entry points are never loaded.
"""

import dataclasses
import difflib
import importlib.metadata
import os
import threading
import traceback
import warnings

import pluggy

from lamella.plugins import hookspecs
from lamella.plugins.errors import LamellaPluginWarning, PluginLoadError
from lamella.plugins.registry import KINDS, PluginInfo, Registry, RegistryView

ENTRY_POINT_GROUP = "lamella"


@dataclasses.dataclass(frozen=True)
class PluginFailure:
    """A plugin that could not be used, and why."""

    name: str
    distribution: str
    version: str
    stage: str  # "import", "validate" or "register <kind>"
    error: str
    traceback: str = ""


def _env_flag(name):
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no", "off")


def _env_list(name):
    return [p.strip() for p in os.environ.get(name, "").split(",") if p.strip()]


class PluginManager:
    """Loads plugins, validates their hooks and fills the registries."""

    def __init__(self):
        self._pm = pluggy.PluginManager("lamella")
        self._pm.add_hookspecs(hookspecs)
        self._lock = threading.RLock()
        self._discovered = False
        self._filled = set()
        self._registries = {kind: Registry(kind, manager=self) for kind in KINDS}
        self.plugins = {}  # plugin name -> (PluginInfo, plugin object)
        self.failures = []
        self._warned = set()

    # -- configuration -----------------------------------------------------------------

    @property
    def strict(self):
        return _env_flag("LAMELLA_STRICT_PLUGINS")

    @property
    def autoload(self):
        return not _env_flag("LAMELLA_DISABLE_PLUGIN_AUTOLOAD")

    # -- discovery ---------------------------------------------------------------------

    def ensure_discovered(self):
        if self._discovered:
            return
        with self._lock:
            if self._discovered:
                return
            self._register_builtin()
            self._load_entry_points()
            self._discovered = True

    def _register_builtin(self):
        from lamella import _version
        from lamella.plugins import core_plugin

        info = PluginInfo("lamella-core", "lamella-core", _version.__version__)
        self._add(info, core_plugin)

    def _entry_points(self):
        seen = set()
        for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            key = (entry_point.name, entry_point.value)
            if key not in seen:
                seen.add(key)
                yield entry_point

    def _load_entry_points(self):
        disabled = set(_env_list("LAMELLA_DISABLED_PLUGINS"))
        requested = set(_env_list("LAMELLA_PLUGINS"))
        for entry_point in self._entry_points():
            name = entry_point.name
            if name in disabled or name in self.plugins:
                continue
            if not self.autoload and name not in requested:
                continue
            distribution = entry_point.dist
            info = PluginInfo(
                name,
                distribution.name if distribution else "<unknown distribution>",
                distribution.version if distribution else "?",
            )
            try:
                plugin = entry_point.load()
            except Exception as error:  # noqa: BLE001 - any import error is reported
                self._fail(info, "import", error)
                continue
            self._add(info, plugin)

    def _add(self, info, plugin):
        problem = self._validate(plugin)
        if problem:
            self._fail(info, "validate", problem)
            return False
        try:
            self._pm.register(plugin, name=info.name)
        except Exception as error:  # noqa: BLE001 - pluggy validation errors
            self._fail(info, "validate", error)
            return False
        self.plugins[info.name] = (info, plugin)
        for kind in self._filled:
            self._call_registration(kind, info, plugin)
        return True

    def _validate(self, plugin):
        """A message when ``plugin`` implements hooks that do not exist (misspelt)."""
        known = {n for n in dir(hookspecs) if n.startswith("lamella_")}
        for attribute in dir(plugin):
            if not attribute.startswith("lamella_") or attribute in known:
                continue
            function = getattr(plugin, attribute, None)
            if callable(function):
                close = difflib.get_close_matches(attribute, sorted(known), n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                return f"it implements {attribute}, which is not a lamella hook{hint}"
        return None

    def _fail(self, info, stage, error):
        if isinstance(error, BaseException):
            detail = "".join(traceback.format_exception(error))
            message = f"{type(error).__name__}: {error}"
        else:
            detail, message = "", str(error)
        failure = PluginFailure(info.name, info.distribution, info.version, stage, message, detail)
        self.failures.append(failure)
        if self.strict:
            raise PluginLoadError(
                f"lamella plugin {info.name!r} ({info.describe()}) failed at {stage}: "
                f"{message}"
            ) from (error if isinstance(error, BaseException) else None)
        key = (info.name, stage)
        if key not in self._warned:
            self._warned.add(key)
            warnings.warn(
                f"lamella plugin {info.name!r} ({info.describe()}) failed at {stage} "
                f"and is skipped: {message}. Run `lamella plugins` for details; set "
                "LAMELLA_STRICT_PLUGINS=1 to make this an error.",
                LamellaPluginWarning,
                stacklevel=4,
            )

    # -- registries --------------------------------------------------------------------

    def registry(self, kind):
        """The registry of ``kind``, filled by every plugin's registration hook."""
        if kind not in self._registries:
            raise ValueError(f"Unknown registry kind. Expected one of {KINDS}. Received: {kind!r}")
        if kind in self._filled:
            return self._registries[kind]
        with self._lock:
            self.ensure_discovered()
            if kind not in self._filled:
                for info, plugin in list(self.plugins.values()):
                    self._call_registration(kind, info, plugin)
                self._filled.add(kind)
        return self._registries[kind]

    def _call_registration(self, kind, info, plugin):
        caller = getattr(self._pm.hook, f"lamella_register_{kind}")
        implementations = [i for i in caller.get_hookimpls() if i.plugin is plugin]
        if not implementations:
            return
        try:
            for implementation in implementations:
                implementation.function(registry=RegistryView(self._registries[kind], info))
        except Exception as error:  # noqa: BLE001 - a broken plugin must not stop others
            self._registries[kind].unregister_provider(info)
            self._fail(info, f"register {kind}", error)

    def register(self, plugin, name=None, distribution=None, version="0"):
        """Registers a plugin object by hand (tests, notebooks, disabled autoload)."""
        self.ensure_discovered()
        name = name or getattr(plugin, "__name__", None) or repr(plugin)
        info = PluginInfo(name, distribution or name, version)
        with self._lock:
            return self._add(info, plugin)

    def unregister(self, name):
        """Removes a plugin and everything it registered."""
        with self._lock:
            info, plugin = self.plugins.pop(name)
            self._pm.unregister(plugin)
            for registry in self._registries.values():
                registry.unregister_provider(info)

    def fill_all(self):
        for kind in KINDS:
            self.registry(kind)

    def installed_distributions(self):
        """Names of the installed distributions that provide lamella plugins."""
        names = {"lamella-core"}
        for entry_point in self._entry_points():
            if entry_point.dist is not None:
                names.add(entry_point.dist.name)
        return names

    def hooks_of(self, plugin):
        """The hooks ``plugin`` implements (as pluggy sees them: marked functions)."""
        return sorted(
            caller.name
            for caller in self._pm.get_hookcallers(plugin) or ()
        )


_manager = None
_manager_lock = threading.Lock()


def get_manager():
    """The process-wide plugin manager (created on first use)."""
    global _manager
    if _manager is None:
        with _manager_lock:
            if _manager is None:
                _manager = PluginManager()
    return _manager


def reset_manager():
    """Forgets every loaded plugin; the next look-up discovers them again."""
    global _manager
    with _manager_lock:
        _manager = None
