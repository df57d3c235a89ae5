"""`kiosk-provision enroll CODE`: trade the back office's one-time code for this terminal's credentials."""

from __future__ import annotations

import argparse

from provisioning.common import Outcome, Paths

HELP = ("enrol this terminal with the central API using the one-time code from the town's back office; "
        "writes the credentials file (mode 0600, user kiosk). Refuses if already enrolled, unless --force")
EXAMPLE = "kiosk-provision enroll SCV-ENROL-7Q4M2"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="the one-time enrolment code")
    parser.add_argument("--force", action="store_true", help="enrol again even if credentials exist")
    parser.add_argument("--config", metavar="PATH", help="kiosk.toml (default: PREFIX/etc/kiosk/kiosk.toml)")


def run(args: argparse.Namespace, paths: Paths) -> Outcome:
    out = Outcome()
    out.problem("enroll: not implemented yet")
    return out
