"""The data behind ``lamella plugins``: every plugin, what it registered, what failed."""

from lamella.plugins import KINDS, get_manager


def collect():
    """A JSON-ready report of the installed plugins."""
    manager = get_manager()
    manager.fill_all()
    registered = {}
    conflicts = []
    for kind in KINDS:
        registry = manager.registry(kind)
        for provider, names in registry.by_provider().items():
            registered.setdefault(provider.name, {})[kind] = sorted(names)
        for entry in registry.entries():
            if entry.conflicted:
                conflicts.append(
                    {
                        "kind": kind,
                        "name": entry.name,
                        "distributions": sorted(
                            {f"{p.distribution} {p.version}" for p in (entry.provider, *entry.rivals)}
                        ),
                    }
                )
    plugins = []
    for name, (info, plugin) in sorted(manager.plugins.items()):
        plugins.append(
            {
                "name": name,
                "distribution": info.distribution,
                "version": info.version,
                "hooks": manager.hooks_of(plugin),
                "registered": registered.get(name, {}),
            }
        )
    failures = [
        {
            "name": f.name,
            "distribution": f.distribution,
            "version": f.version,
            "stage": f.stage,
            "error": f.error,
        }
        for f in manager.failures
    ]
    return {"plugins": plugins, "failures": failures, "conflicts": conflicts}


def render(report, verbose=False):
    """The report as text, like ``datasette plugins`` or ``pytest --version --version``."""
    lines = []
    for plugin in report["plugins"]:
        lines.append(f"{plugin['name']}  ({plugin['distribution']} {plugin['version']})")
        lines.append(f"    hooks: {', '.join(plugin['hooks']) or '-'}")
        for kind, names in plugin["registered"].items():
            shown = names if verbose or len(names) <= 12 else [*names[:12], f"... {len(names) - 12} more"]
            lines.append(f"    {kind} ({len(names)}): {', '.join(shown)}")
    if report["conflicts"]:
        lines.append("")
        lines.append("Conflicts (these names cannot be used until one side is removed):")
        for conflict in report["conflicts"]:
            lines.append(
                f"    {conflict['kind']} {conflict['name']!r}: "
                + " vs ".join(conflict["distributions"])
            )
    if report["failures"]:
        lines.append("")
        lines.append("Failed to load (skipped; LAMELLA_STRICT_PLUGINS=1 makes this an error):")
        for failure in report["failures"]:
            lines.append(
                f"    {failure['name']} ({failure['distribution']} {failure['version']}) "
                f"at {failure['stage']}: {failure['error']}"
            )
    return "\n".join(lines)
