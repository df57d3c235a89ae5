"""``kiosk demo-api``: run the reference server in the foreground.

``--now`` starts the server's clock at a chosen instant (a demo on a given date; the tests'
instant), and ``--clock-from-stdin`` hands the clock to the parent process: a test's clock
moves, and the server's follows, acknowledged line by line so the test never races it.

At start-up it prints its address, a one-time enrolment code (for a terminal), an agent token
and a command that calls the next visitor with it (``kiosk demo-api agent``, :mod:`.agent_cli`).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TextIO

from . import admin
from .httpd import ApiServer, utc_now
from .server import serve


class RunningClock:
    """Starts at a chosen instant and runs forward with real (monotonic) time."""

    def __init__(self, start: datetime) -> None:
        self._start, self._t0 = start, time.monotonic()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._t0)


class SteppedClock:
    """Stands still until told where it is: the parent's clock is the only one."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now = when


def aware_instant(text: str) -> datetime:
    """argparse type: an ISO 8601 instant with its offset (« Z » allowed)."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 instant: {text!r}") from None
    if when.tzinfo is None:
        raise argparse.ArgumentTypeError(f"give the UTC offset (e.g. 2026-12-01T09:30:00+01:00): {text!r}")
    return when


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk demo-api", description="Run the Kiosk Sync API v1 reference server.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free port)")
    p.add_argument("--db", default="demo-api.sqlite3", help="SQLite file, created and seeded if missing")
    p.add_argument("--exit-with-stdin", action="store_true",
                   help="stop when standard input closes (the kiosk's demo mode: dies with its parent)")
    p.add_argument("--now", type=aware_instant, metavar="ISO8601",
                   help="start the server's clock at this instant (with its offset, e.g. 2026-12-01T09:30:00+01:00), "
                        "then let it run with real time; a new database is seeded for that date")
    p.add_argument("--clock-from-stdin", action="store_true",
                   help="with --now: the clock stands still and moves only when a line 'now ISO8601' arrives on "
                        "standard input; each such line is acknowledged by one line 'now ISO8601' on standard "
                        "output; the server stops when standard input closes (as with --exit-with-stdin)")
    return p


def main(argv: list[str] | None = None) -> int:
    p = build_parser()
    args = p.parse_args(argv)
    if not 0 <= args.port <= 65535:
        print("demo-api: --port must be between 0 and 65535", file=sys.stderr)
        return 2
    if args.clock_from_stdin and args.now is None:
        print("demo-api: --clock-from-stdin needs --now (the instant the clock starts at)", file=sys.stderr)
        return 2
    stepped = SteppedClock(args.now) if args.clock_from_stdin else None
    clock: Callable[[], datetime] = stepped or (RunningClock(args.now) if args.now else utc_now)
    try:
        server, thread = serve(args.host, args.port, args.db, clock)
    except OSError as exc:
        print(f"demo-api: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    # Ctrl-C stops the server cleanly from here on, also while the start-up lines are written
    # (a person, or a test, may press it as soon as the first line shows)
    try:
        code = admin.create_enrolment_code(args.db, clock)
        print(f"Kiosk Sync API v1 on http://{args.host}:{server.server_port} (database {args.db})", flush=True)
        print(f"One-time enrolment code: {code}", flush=True)
        # stepped, standard output carries the clock's acknowledgements only: these lines go to stderr
        agent_lines = sys.stderr if stepped is not None else sys.stdout
        agent_token = admin.create_agent_token(args.db, clock=clock)
        print(f"Agent token: {agent_token}", file=agent_lines, flush=True)
        print(f"  call the next visitor: kiosk demo-api agent --url http://{args.host}:{server.server_port} "
              f"--token {agent_token} call --service svc-listes-electorales --counter 'Guichet 1'"
              " (then recall|absent|served <number>)", file=agent_lines, flush=True)
        if stepped is not None:
            threading.Thread(target=_follow_stdin, args=(stepped, server, sys.stdin, sys.stdout), daemon=True).start()
        elif args.exit_with_stdin:
            # The parent holds our stdin: when it exits, even by kill -9, the pipe closes and we stop.
            threading.Thread(target=_stop_at_eof, args=(server, sys.stdin), daemon=True).start()
        thread.join()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0


def _stop_at_eof(server: ApiServer, stdin: TextIO) -> None:
    stdin.read()
    server.shutdown()


def _follow_stdin(clock: SteppedClock, server: ApiServer, stdin: TextIO, stdout: TextIO) -> None:
    """Move the clock line by line, acknowledge each line once it is in effect; stop at EOF."""
    for line in stdin:
        command, _, value = line.strip().partition(" ")
        try:
            if command != "now":
                raise ValueError(f"unknown command {command!r}")
            when = aware_instant(value)
        except (ValueError, argparse.ArgumentTypeError) as exc:
            print(f"error {exc}", file=stdout, flush=True)
            continue
        clock.set(when)
        print(f"now {when.isoformat()}", file=stdout, flush=True)
    server.shutdown()
