"""``lamella``: the command line (``lamella plugins``, ``lamella --version``)."""

import argparse
import json
import sys
import warnings


def _versions():
    from importlib.metadata import distributions

    found = {}
    for distribution in distributions():
        name = distribution.metadata["Name"] or ""
        if name.startswith("lamella"):
            found[name] = distribution.version
    return dict(sorted(found.items()))


def _plugins(args):
    from lamella.cli.plugins_report import collect, render
    from lamella.plugins import LamellaPluginWarning

    # Failures are part of the report; the warnings would only repeat them.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LamellaPluginWarning)
        report = collect()
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(render(report, verbose=args.verbose))
    return 1 if report["failures"] or report["conflicts"] else 0


def build_parser():
    parser = argparse.ArgumentParser(prog="lamella", description="lamella: the Keras API on JAX.")
    parser.add_argument("--version", action="store_true", help="show the installed lamella distributions")
    commands = parser.add_subparsers(dest="command")
    plugins = commands.add_parser("plugins", help="list plugins, what they registered, and failures")
    plugins.add_argument("--json", action="store_true", help="print the report as JSON")
    plugins.add_argument("-v", "--verbose", action="store_true", help="list every registered name")
    plugins.set_defaults(handler=_plugins)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        for name, version in _versions().items():
            print(f"{name} {version}")
        return 0
    if args.command is None:
        parser.print_help()
        return 2
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
