"""`kiosk-provision logs`: the kiosk's journal, filtered again for personal data."""

from __future__ import annotations

import argparse

from provisioning.common import Outcome, Paths

HELP = ("the kiosk's log lines (journalctl -u kiosk, or its log file when there is no journal), "
        "with phone numbers, e-mail addresses and request numbers masked")
EXAMPLE = 'kiosk-provision logs --since "1 hour ago"'


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", default="today", metavar="WHEN",
                        help='as journalctl understands it: "today", "1 hour ago", "2026-12-03 08:00" '
                             "(default today)")
    parser.add_argument("--lines", type=int, default=500, metavar="N", help="at most N lines (default 500)")
    parser.add_argument("--log-file", metavar="PATH",
                        help="read this file instead of the journal (default: PREFIX/var/log/kiosk/kiosk.log "
                             "when journalctl is missing)")


def run(args: argparse.Namespace, paths: Paths) -> Outcome:
    out = Outcome()
    out.problem("logs: not implemented yet")
    return out
