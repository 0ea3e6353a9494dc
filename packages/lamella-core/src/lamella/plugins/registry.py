"""Registries: names to objects, one registry per kind, each entry with its provider.

Every string that names an object in lamella (``activation="relu"``,
``loss="mse"``, a ``class_name`` in a saved config) is resolved by a registry. A
registry knows which plugin provided each name, so that errors and saved files can
name the distribution to install.
"""

import dataclasses
import difflib

from lamella.plugins.errors import PluginConflictError, UnknownNameError

# The distribution that provides each kind's standard catalogue: what to install
# when a name of that kind is missing.
FIRST_PARTY = {
    "layers": "lamella-layers",
    "activations": "lamella-core",
    "initializers": "lamella-core",
    "regularizers": "lamella-core",
    "constraints": "lamella-core",
    "losses": "lamella-losses",
    "metrics": "lamella-losses",
    "optimizers": "lamella-optimizers",
    "schedules": "lamella-optimizers",
    "callbacks": "lamella-callbacks",
    "preprocessors": "lamella-preprocessing",
    "applications": "lamella-applications",
}

KINDS = tuple(FIRST_PARTY)

# Singular nouns for messages ("Unknown loss: 'msee'").
SINGULAR = {
    "layers": "layer", "activations": "activation", "initializers": "initializer",
    "regularizers": "regularizer", "constraints": "constraint", "losses": "loss",
    "metrics": "metric", "optimizers": "optimizer", "schedules": "learning-rate schedule",
    "callbacks": "callback", "preprocessors": "preprocessor", "applications": "application",
}


@dataclasses.dataclass(frozen=True)
class PluginInfo:
    """Who provided an object: the plugin's entry-point name and distribution."""

    name: str
    distribution: str
    version: str

    def describe(self):
        return f"{self.distribution} {self.version}"


@dataclasses.dataclass
class RegistryEntry:
    name: str
    obj: object
    provider: PluginInfo
    canonical: bool = True
    rivals: tuple = ()

    @property
    def conflicted(self):
        return bool(self.rivals)


def _normalize(name):
    return name.lower().replace("_", "")


class Registry:
    """The objects of one kind, by name.

    Args:
        kind: the kind (``'layers'``, ``'losses'``, ...).
        manager: the plugin manager, consulted for load failures in error messages.
    """

    def __init__(self, kind, manager=None):
        self.kind = kind
        self._manager = manager
        self._entries = {}
        self._names_by_id = {}

    def register(self, name, obj, provider, canonical=True):
        """Registers ``obj`` under ``name`` for ``provider``.

        The same object under the same name again is accepted (a plugin loaded
        twice); a different object under a taken name marks the name as conflicted,
        and looking it up raises an error naming both providers.
        """
        if not isinstance(name, str) or not name:
            raise TypeError(
                f"A {SINGULAR[self.kind]} is registered under a non-empty string. "
                f"Received: name={name!r}"
            )
        existing = self._entries.get(name)
        if existing is not None:
            if existing.obj is not obj and provider not in existing.rivals:
                existing.rivals = (*existing.rivals, provider)
            return
        self._entries[name] = RegistryEntry(name, obj, provider, canonical)
        if canonical:
            self._names_by_id.setdefault(id(obj), name)

    def unregister_provider(self, provider):
        """Removes what ``provider`` registered (used when a plugin is unloaded)."""
        for name in [n for n, e in self._entries.items() if e.provider == provider]:
            entry = self._entries.pop(name)
            if self._names_by_id.get(id(entry.obj)) == name:
                del self._names_by_id[id(entry.obj)]

    def lookup(self, name):
        """The entry for ``name`` (exact, then ignoring case and underscores when that
        is unambiguous), or ``None``."""
        entry = self._entries.get(name)
        if entry is None and isinstance(name, str):
            key = _normalize(name)
            matches = {id(e.obj): e for n, e in self._entries.items() if _normalize(n) == key}
            if len(matches) == 1:
                entry = next(iter(matches.values()))
        if entry is not None and entry.conflicted:
            providers = [entry.provider, *entry.rivals]
            names = " and ".join(sorted({p.describe() for p in providers}))
            raise PluginConflictError(
                f"The {SINGULAR[self.kind]} name {entry.name!r} is registered with "
                f"different objects by {names}. Uninstall one of them, or disable one "
                f"with LAMELLA_DISABLED_PLUGINS=<entry point name> "
                f"(entry points: {', '.join(sorted({p.name for p in providers}))})."
            )
        return entry

    def get(self, name):
        """The object registered as ``name``; ``UnknownNameError`` names the options."""
        entry = self.lookup(name)
        if entry is None:
            raise UnknownNameError(self._unknown_message(name))
        return entry.obj

    def __contains__(self, name):
        try:
            return self.lookup(name) is not None
        except PluginConflictError:
            return True

    def name_of(self, obj):
        """The name ``obj`` (a class or function) was first registered under."""
        return self._names_by_id.get(id(obj))

    def entry_of(self, obj):
        name = self.name_of(obj)
        return None if name is None else self._entries[name]

    def names(self):
        return sorted(self._entries)

    def entries(self):
        return [self._entries[n] for n in self.names()]

    def by_provider(self):
        grouped = {}
        for entry in self._entries.values():
            grouped.setdefault(entry.provider, []).append(entry.name)
        return grouped

    def _unknown_message(self, name):
        noun = SINGULAR[self.kind]
        lines = [f"Unknown {noun}: {name!r}."]
        known = self.names()
        close = difflib.get_close_matches(str(name), known, n=3)
        if close:
            lines.append(f"Did you mean {' or '.join(repr(c) for c in close)}?")
        if known:
            shown = ", ".join(repr(n) for n in known[:60])
            more = f", ... ({len(known)} in all)" if len(known) > 60 else ""
            lines.append(f"Registered {self.kind}: {shown}{more}.")
        else:
            lines.append(f"No installed plugin provides {self.kind}.")
        distribution = FIRST_PARTY[self.kind]
        if self._manager is not None:
            installed = self._manager.installed_distributions()
            if distribution not in installed:
                lines.append(
                    f"The standard {self.kind} come with the {distribution} "
                    f"distribution, which is not installed: pip install {distribution}"
                )
            if not self._manager.autoload:
                lines.append(
                    "Plugin autoloading is off (LAMELLA_DISABLE_PLUGIN_AUTOLOAD is set): "
                    "name the plugins to load in LAMELLA_PLUGINS, e.g. "
                    f"LAMELLA_PLUGINS={distribution}."
                )
            failed = [f for f in self._manager.failures]
            if failed:
                lines.append(
                    "Some plugins failed to load and may have provided it: "
                    + "; ".join(f"{f.name} ({f.distribution}): {f.error}" for f in failed)
                )
        return "\n".join(lines)


class RegistryView:
    """What a registration hook receives: a registry bound to the calling plugin.

    ``register(obj)`` registers a class or function under its ``__name__``;
    ``register(name, obj)`` under ``name``; ``aliases=`` adds more names.
    """

    def __init__(self, registry, provider):
        self._registry = registry
        self.provider = provider
        self.kind = registry.kind

    def register(self, name_or_obj, obj=None, *, aliases=()):
        if obj is None:
            obj = name_or_obj
            name = getattr(obj, "__name__", None)
            if name is None:
                raise TypeError(
                    f"register({obj!r}) needs a name: this object has no __name__. "
                    "Call register(name, obj)."
                )
        else:
            name = name_or_obj
        self._registry.register(name, obj, self.provider)
        for alias in aliases:
            self._registry.register(alias, obj, self.provider, canonical=False)
        return obj

    def __contains__(self, name):
        return name in self._registry
