"""``kiosk demo-api``: run the reference server in the foreground."""

from __future__ import annotations

import argparse
import sys
import threading

from . import admin
from .server import serve


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk demo-api", description="Run the Kiosk Sync API v1 reference server.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free port)")
    p.add_argument("--db", default="demo-api.sqlite3", help="SQLite file, created and seeded if missing")
    p.add_argument("--exit-with-stdin", action="store_true",
                   help="stop when standard input closes (the kiosk's demo mode: dies with its parent)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not 0 <= args.port <= 65535:
        print("demo-api: --port must be between 0 and 65535", file=sys.stderr)
        return 2
    try:
        server, thread = serve(args.host, args.port, args.db)
    except OSError as exc:
        print(f"demo-api: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    code = admin.create_enrolment_code(args.db)
    print(f"Kiosk Sync API v1 on http://{args.host}:{server.server_port} (database {args.db})", flush=True)
    print(f"One-time enrolment code: {code}", flush=True)
    if args.exit_with_stdin:
        # The parent holds our stdin: when it exits, even by kill -9, the pipe closes and we stop.
        threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    try:
        thread.join()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0
