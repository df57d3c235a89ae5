"""`kiosk-provision status`: what runs, since when, is it ready, last sync, outbox, devices."""

from __future__ import annotations

import argparse

from provisioning.common import Outcome, Paths

HELP = "version, uptime, ready or not, last sync, outbox depth and each device's state"
EXAMPLE = "kiosk-provision status --json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="PATH", help="kiosk.toml (default: PREFIX/etc/kiosk/kiosk.toml)")


def run(args: argparse.Namespace, paths: Paths) -> Outcome:
    out = Outcome()
    out.problem("status: not implemented yet")
    return out
