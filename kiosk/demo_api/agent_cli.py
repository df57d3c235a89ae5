"""``kiosk demo-api agent call|recall|absent|served``: a counter agent's buttons, from a shell.

A town's back office calls visitors from its own software; for the demo and for trying a
waiting-room display, these commands send the same HTTP requests to a running reference server
(loopback by default) with the agent token it printed at start-up. Each action carries a fresh
``Idempotency-Key``, as the contract asks. The answer is said in one plain line; a refusal says
why (never a traceback) and exits 1.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from urllib.parse import quote

import requests
from pydantic import ValidationError

from kiosk.api import models

DEFAULT_URL = "http://127.0.0.1:8765"
TOKEN_ENV = "KIOSK_AGENT_TOKEN"
NUMBER_HELP = "today's queue number, e.g. C007"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk demo-api agent",
                                description="Act as a counter agent on a running reference server.")
    p.add_argument("--url", default=DEFAULT_URL, help=f"the server (default {DEFAULT_URL})")
    p.add_argument("--token", default=os.environ.get(TOKEN_ENV),
                   help=f"the agent token printed by kiosk demo-api (default: ${TOKEN_ENV})")
    sub = p.add_subparsers(dest="action", required=True, metavar="call|recall|absent|served")
    call = sub.add_parser("call", help="call the next visitor of a service to a counter")
    call.add_argument("--service", required=True, help="service id, e.g. svc-listes-electorales")
    call.add_argument("--counter", required=True, help="where to go, as the display shows it, e.g. 'Guichet 3'")
    for name, text in (("recall", "call a number again (3 calls at most)"),
                       ("absent", "the visitor did not come (after at least one call)"),
                       ("served", "the visitor has been served")):
        sub.add_parser(name, help=text).add_argument("number", help=NUMBER_HELP)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.token:
        print(f"agent: give --token (or set {TOKEN_ENV}): kiosk demo-api prints one at start-up", file=sys.stderr)
        return 2
    base = args.url.rstrip("/")
    headers = {"Authorization": f"Bearer {args.token}", "Idempotency-Key": str(uuid.uuid4())}
    if args.action == "call":
        url, body = f"{base}/v1/agent/calls", {"service_id": args.service, "counter": args.counter}
    else:
        url, body = f"{base}/v1/agent/calls/{quote(args.number.strip().upper(), safe='')}/{args.action}", None
    try:
        r = requests.post(url, json=body, headers=headers, timeout=10)
    except requests.RequestException as exc:
        print(f"agent: cannot reach {base} ({type(exc).__name__}); is kiosk demo-api running?", file=sys.stderr)
        return 1
    if r.status_code == 204:
        print(f"{args.number.upper()}: {args.action}")
        return 0
    try:
        if r.status_code == 200:
            call = models.Call.model_validate_json(r.content)
            print(f"{call.queue_number} → {call.counter} ({'rappel' if call.kind == 'recall' else 'appel'} "
                  f"n° {call.seq})")
            return 0
        error = models.Error.model_validate_json(r.content)
    except ValidationError:
        print(f"agent: unexpected answer (status {r.status_code})", file=sys.stderr)
        return 1
    print(f"agent: {error.error}: {error.message}", file=sys.stderr)
    return 1
