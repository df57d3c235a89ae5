"""`kiosk-provision`: the technician's command line on a terminal, run over SSH or by Ansible.

One module per command under :mod:`provisioning.commands`; :data:`COMMANDS` is the table of them
(adding a command is one line there). Each module provides ``HELP`` (one line), optionally
``DESCRIPTION`` (its --help's longer text), ``EXAMPLE`` (a command line shown in ``--help``),
``add_arguments(parser)`` and ``run(args, paths) -> Outcome``.
Heavy imports (pydantic, requests, sqlite) live inside ``run`` so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from types import ModuleType

from provisioning.common import USAGE, Outcome, Paths, UsageError, add_common

# The commands, in the order --help lists them: name -> module under provisioning.commands.
COMMANDS: dict[str, str] = {
    "install": "install",
    "enroll": "enroll",
    "check": "check",
    "status": "status",
    "logs": "logs",
    "config": "config",
    "update": "update",
    "rollback": "rollback",
}


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"provisioning.commands.{COMMANDS[name]}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk-provision",
        description="Install, enrol, check and maintain this kiosk terminal. "
                    "Exit 0: all is well; 1: something to fix (one line per problem); 2: bad usage.",
        epilog="Each command has its own help: kiosk-provision COMMAND --help",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module = _module(name)
        command = sub.add_parser(name, help=module.HELP, description=getattr(module, "DESCRIPTION", module.HELP),
                                 epilog=f"example:\n  {module.EXAMPLE}",
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
        add_common(command)
        module.add_arguments(command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # bad usage: argparse says why and exits 2
    paths = Paths(args.root.resolve() if args.root != Path("/") else Path("/"))
    try:
        outcome: Outcome = _module(args.command).run(args, paths)
    except UsageError as err:
        print(f"kiosk-provision {args.command}: {err}", file=sys.stderr)
        return USAGE
    if args.json:
        print(outcome.as_json(args.command))
    else:
        for line in outcome.lines:
            print(line)
        for line in outcome.problems:
            print(line, file=sys.stderr)
    return outcome.code


if __name__ == "__main__":
    sys.exit(main())
