"""`kiosk-provision install`: the kiosk user, a versioned release, kiosk.toml, the unit and udev rules."""

from __future__ import annotations

import argparse

from provisioning.common import Outcome, Paths

HELP = "install or repair this terminal (user, release, configuration, unit, udev rules)"
DESCRIPTION = ("Install or repair this terminal: user kiosk and its groups (input, lp, dialout, video), a release "
               "under /opt/kiosk/releases/<version> with its own virtualenv behind the 'current' link, "
               "/etc/kiosk/kiosk.toml (validated first), the systemd unit and udev rules, the state folder "
               "/var/lib/kiosk. Running it again changes nothing. Under --root other than /, the user and groups "
               "are not created on this machine: they are recorded in PREFIX/etc/kiosk/accounts.json, and files "
               "keep the owner running the command.")
EXAMPLE = "kiosk-provision install --source /tmp/kiosk-1.4.0-py3-none-any.whl --config-from kiosk.toml --check"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", metavar="WHEEL|DIR",
                        help="what to install: a wheel or a source folder (default: the running kiosk's own)")
    parser.add_argument("--version", dest="release_version", metavar="VERSION",
                        help="release name (default: the version the source declares)")
    parser.add_argument("--config-from", metavar="TOML",
                        help="kiosk.toml to install when the terminal has none (default: the documented one)")
    parser.add_argument("--check", action="store_true", help="print the plan and change nothing")
    parser.add_argument("--no-deps", action="store_true",
                        help="do not download dependencies: the release's virtualenv sees the system's "
                             "site-packages (offline installs, tests)")


def run(args: argparse.Namespace, paths: Paths) -> Outcome:
    out = Outcome()
    out.problem("install: not implemented yet")
    return out
