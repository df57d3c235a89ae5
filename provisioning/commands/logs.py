"""`kiosk-provision logs`: the kiosk's journal, filtered again for personal data.

The kiosk's own logging already masks e-mail addresses, phone numbers and tracking numbers
(kiosk.logs.PrivacyFilter), but its journal also holds what it did not write itself: a library's
message, a traceback's local text, stderr of a crashed start. So every line shown here goes through
the same :func:`kiosk.logs.redact` again: what a technician copies into a ticket carries no one's data.

Where the lines come from: ``journalctl -u kiosk`` on a terminal (systemd); without a journal (an
install prefix, a machine without systemd, the kiosk run directly) the kiosk's log file, by default
``PREFIX/var/log/kiosk/kiosk.log``, whose records start with a timestamp (kiosk.logs' plain format).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from collections import deque
from datetime import datetime, timedelta
from pathlib import Path

from provisioning.common import Outcome, Paths, UsageError

HELP = ("the kiosk's log lines (journalctl -u kiosk, or its log file when there is no journal), "
        "with phone numbers, e-mail addresses and request numbers masked")
EXAMPLE = 'kiosk-provision logs --since "1 hour ago"'
_RELATIVE = re.compile(r"^(\d+)\s*(s|sec|second|min|minute|h|hour|d|day)s?\s+ago$")
_UNITS = {"s": 1, "sec": 1, "second": 1, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}
_STAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", default="today", metavar="WHEN",
                        help='"today", "yesterday", "2 hours ago", "30 min ago", "2026-12-03 08:00" (default today)')
    parser.add_argument("--lines", type=int, default=500, metavar="N", help="at most the last N lines (default 500)")
    parser.add_argument("--log-file", metavar="PATH", type=Path,
                        help="read this file instead of the journal (default without a journal: "
                             "PREFIX/var/log/kiosk/kiosk.log)")
    parser.add_argument("--now", type=datetime.fromisoformat, help=argparse.SUPPRESS)   # tests: the clock


def since_instant(text: str, now: datetime) -> datetime:
    """The start of the window, on the wall clock of ``now`` (log lines carry local time)."""
    text = text.strip().lower()
    if text == "today":
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    if text == "yesterday":
        return (now - timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    if m := _RELATIVE.match(text):
        return now - timedelta(seconds=int(m[1]) * _UNITS[m[2]])
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since {text!r}: write today, yesterday, '2 hours ago', '30 min ago' or "
                         "'2026-12-03 08:00'") from None


def _journal(args: argparse.Namespace) -> list[str] | None:
    """journalctl's lines, or None when this machine keeps no journal for the kiosk."""
    journalctl = shutil.which("journalctl")
    if journalctl is None or not (Path("/run/systemd/journal").is_dir() or Path("/var/log/journal").is_dir()):
        return None
    done = subprocess.run([journalctl, "-u", "kiosk", "--since", args.since, "--no-pager", "-o", "short-iso",
                           "-n", str(args.lines)], capture_output=True, text=True, check=False, timeout=60)
    if done.returncode != 0:
        raise UsageError(f"journalctl: {(done.stderr.strip().splitlines() or ['failed'])[-1]}")
    return [line for line in done.stdout.splitlines() if not line.startswith("-- ")]


def _from_file(path: Path, start: datetime, limit: int, out: Outcome) -> list[str]:
    """Records of the file from ``start`` on; continuation lines (tracebacks) follow their record."""
    kept: deque[str] = deque(maxlen=limit)   # never more than asked for, however big the file
    keep = False
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                if m := _STAMP.match(line):
                    keep = datetime.fromisoformat(m[1]) >= start.replace(tzinfo=None)
                if keep:
                    kept.append(line.rstrip("\n"))
    except OSError as exc:
        out.problem(f"{path}: cannot be read ({exc.strerror or exc}); no journal on this machine either")
        return []
    return list(kept)


def run(args: argparse.Namespace, paths: Paths) -> Outcome:
    from kiosk.logs import redact

    out = Outcome()
    if args.lines < 1:
        raise UsageError("--lines must be at least 1")
    now = args.now or datetime.now().astimezone()     # log lines carry the terminal's local time
    start = since_instant(args.since, now)
    lines = None if (args.log_file or not paths.real_root) else _journal(args)
    source = "journal (journalctl -u kiosk)"
    if lines is None:
        path = args.log_file or paths.inside("/var/log/kiosk/kiosk.log")
        source = str(path)
        lines = _from_file(path, start, args.lines, out)
    clean = [redact(line) for line in lines[-args.lines:]]
    out.lines += clean
    out.data.update(source=source, since=start.isoformat(), lines=clean)
    return out
