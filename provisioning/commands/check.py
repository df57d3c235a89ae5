"""`kiosk-provision check`: the self-test table a technician reads before leaving a terminal."""

from __future__ import annotations

import argparse

from provisioning.common import Outcome, Paths

HELP = ("self-test: configuration, display, touch, printer, scanner, central API, clock, disk, cache, "
        "credentials, service; each line pass / warn / fail and what to do")
EXAMPLE = "kiosk-provision check --print"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="PATH", help="kiosk.toml (default: PREFIX/etc/kiosk/kiosk.toml)")
    parser.add_argument("--print", dest="print_slip", action="store_true", help="also print a test slip")
    parser.add_argument("--scan", action="store_true", help="also wait for one scanned code")
    parser.add_argument("--scan-timeout", type=float, default=30.0, metavar="SECONDS",
                        help="how long --scan waits (default 30)")


def run(args: argparse.Namespace, paths: Paths) -> Outcome:
    out = Outcome()
    out.problem("check: not implemented yet")
    return out
