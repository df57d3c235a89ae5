"""`kiosk-provision check`: the self-test table a technician reads before leaving a terminal.

One row per thing that can keep a terminal from serving: pass, warn (works, but look at it) or
FAIL (fix it before leaving), each with what to do. Exit 1 when any row fails, so Ansible stops a
rollout on a terminal that would not serve.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from provisioning import checks, kiosk_config, terminal
from provisioning.common import Outcome, Paths

HELP = ("self-test: configuration, display, touch, printer, scanner, central API, clock, disk, cache, "
        "credentials, service; each line pass / warn / FAIL and what to do")
EXAMPLE = "kiosk-provision check --print --scan"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="PATH", help="kiosk.toml (default: PREFIX/etc/kiosk/kiosk.toml)")
    parser.add_argument("--print", dest="print_slip", action="store_true", help="also print a test slip")
    parser.add_argument("--scan", action="store_true", help="also wait for one scanned code (« scannez un code »)")
    parser.add_argument("--scan-timeout", type=float, default=30.0, metavar="SECONDS",
                        help="how long --scan waits (default 30)")
    parser.add_argument("--now", type=datetime.fromisoformat, help=argparse.SUPPRESS)   # tests: the clock


def run(args: argparse.Namespace, paths: Paths) -> Outcome:
    out = Outcome()
    config, problems = kiosk_config.load(paths, args.config)
    if config is None:
        rows = [checks.Row("configuration", checks.FAIL, line, "kiosk-provision config edit") for line in problems]
    else:
        now = args.now.astimezone(UTC) if args.now else datetime.now(UTC)
        state = terminal.published_state(paths, config)
        rows = [
            *checks.config_rows(config),
            checks.display_row(config, paths),
            checks.touch_row(config, paths, state),
            checks.printer_row(config, state, args.print_slip),
            checks.scanner_row(config, paths, state),
        ]
        if args.scan:
            print_now = (lambda line: None) if args.json else (lambda line: print(line, flush=True))
            rows.append(checks.scan_row(config, args.scan_timeout, print_now))
        rows += [
            *checks.api_rows(config, paths, now),
            checks.disk_row(paths),
            *checks.cache_rows(config, paths, state),
            checks.credentials_row(config, paths),
            checks.service_row(paths, state),
        ]
    width = max(len(row.name) for row in rows)
    for row in rows:
        todo = f" → {row.todo}" if row.todo else ""
        out.say(f"{row.name:<{width}}  {row.result:<4}  {row.detail}{todo}")
        if row.result == checks.FAIL:
            out.problem(f"{row.name}: {row.detail}" + (f": {row.todo}" if row.todo else ""))
    counts = {level: sum(row.result == level for row in rows) for level in (checks.PASS, checks.WARN, checks.FAIL)}
    out.say(f"{counts[checks.PASS]} pass, {counts[checks.WARN]} warn, {counts[checks.FAIL]} fail")
    out.data["checks"] = checks.as_dicts(rows)
    return out
