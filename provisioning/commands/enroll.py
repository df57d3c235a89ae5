"""`kiosk-provision enroll CODE`: trade the back office's one-time code for this terminal's credentials.

A code is spent by the first successful call and an enrolment is never replayed (the contract), so
everything that can be checked without spending it is checked first: already enrolled, the address
answers as a Kiosk central API (its unauthenticated ``v1/openapi.yaml``), TLS verifies, and the
clock agrees with the server's ``Date`` (a terminal whose clock is far off shows wrong slots and
refuses valid check-ins). Each failure gets its own sentence saying what to do.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from provisioning import kiosk_config
from provisioning.common import USER, Outcome, Paths, UsageError

if TYPE_CHECKING:
    from kiosk.config import KioskConfig

HELP = ("enrol this terminal with the central API using the one-time code from the town's back office; "
        "writes the credentials file (mode 0600, user kiosk). Refuses if already enrolled, unless --force")
EXAMPLE = "kiosk-provision enroll SCV-7Q4M-2KXP"

CODE_REASONS = {
    "used": "This enrolment code was already used. Ask the back office for a new code.",
    "expired": "This enrolment code has expired. Ask the back office for a new code.",
    "unknown": "The central server does not know this enrolment code: check it letter by letter "
               "(it looks like SCV-7Q4M-2KXP), or ask the back office for a new one.",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="the one-time enrolment code")
    parser.add_argument("--force", action="store_true", help="enrol again even if credentials exist")
    parser.add_argument("--config", metavar="PATH", help="kiosk.toml (default: PREFIX/etc/kiosk/kiosk.toml)")
    parser.add_argument("--kind", choices=("totem", "counter", "display"),
                        help="terminal kind sent to the server (default: from [terminal] profile)")
    # Tests: the terminal's clock reads this instant (the reference server runs at the tests' instant).
    parser.add_argument("--now", type=datetime.fromisoformat, help=argparse.SUPPRESS)


def _minutes(seconds: float) -> str:
    return f"{abs(seconds) / 60:.0f} min" if abs(seconds) >= 120 else f"{abs(seconds):.0f} s"


def probe(config: KioskConfig, now: datetime, out: Outcome) -> bool:
    """Is the address a Kiosk central API, over verified TLS, with a clock that agrees? Spends nothing."""
    import requests

    base = config.api.base_url
    verify: Any = str(config.api.ca_bundle) if config.api.ca_bundle else True
    try:
        response = requests.get(base + "v1/openapi.yaml", timeout=(config.api.connect_timeout_s,
                                                                   config.api.read_timeout_s),
                                verify=verify, allow_redirects=False)
    except requests.exceptions.SSLError as exc:
        text = str(exc)
        clock = " This terminal's clock may be wrong: check it with 'date'." if (
            "expired" in text or "not yet valid" in text) else ""
        out.problem(f"The central server's certificate is not trusted ({_tls_reason(text)}): check [api] ca_bundle "
                    f"in kiosk.toml and the server's certificate.{clock}")
        return False
    except requests.exceptions.Timeout:
        out.problem(f"The central server at {base} does not answer: check the network and [api] base_url.")
        return False
    except requests.exceptions.RequestException:
        out.problem(f"Cannot reach the central server at {base}: check [api] base_url in kiosk.toml "
                    "and this terminal's network.")
        return False
    if response.status_code != 200 or b"Kiosk Sync API" not in response.content[:4096]:
        out.problem(f"{base} does not answer as a Kiosk central API: check [api] base_url in kiosk.toml "
                    "(the town's address for terminals, e.g. https://gru.example.fr/kiosk/).")
        return False
    try:
        server = parsedate_to_datetime(response.headers["Date"])
    except (KeyError, TypeError, ValueError, IndexError):
        return True
    skew = (server - now).total_seconds()
    out.data["clock_skew_s"] = round(skew, 1)
    if abs(skew) > config.sync.clock_skew_limit_s:
        direction = "behind" if skew > 0 else "ahead of"
        out.problem(f"This terminal's clock is {_minutes(skew)} {direction} the central server's: set the time "
                    "(timedatectl set-ntp true) and enrol again. The code was not used.")
        return False
    return True


def _tls_reason(text: str) -> str:
    for known in ("certificate has expired", "certificate is not yet valid", "self-signed certificate",
                  "unable to get local issuer certificate", "Hostname mismatch", "IP address mismatch"):
        if known.lower() in text.lower():
            return known
    return "verification failed"


def _secure(path: Path, paths: Paths) -> None:
    """The credentials belong to the kiosk user, mode 0600 (written so by write_credentials)."""
    os.chmod(path, 0o600)
    if paths.real_root and os.geteuid() == 0:
        with contextlib.suppress(LookupError, PermissionError):   # no kiosk user yet: install makes it
            shutil.chown(path, USER, USER)


def run(args: argparse.Namespace, paths: Paths) -> Outcome:
    from kiosk import __version__
    from kiosk.api.client import ApiClient, read_credentials
    from kiosk.api.errors import ApiError, CredentialsError, FinalRefusal, TlsFailure, Unavailable
    from kiosk.api.models import kind_of_profile

    out = Outcome()
    code = args.code.strip().upper()
    if not 6 <= len(code) <= 64:
        raise UsageError(f"{args.code!r} is not an enrolment code (6 to 64 characters, e.g. SCV-7Q4M-2KXP)")
    config, problems = kiosk_config.load(paths, args.config)
    if config is None:
        out.problems += problems
        return out
    credentials = paths.inside(config.api.credentials_path)
    out.data["credentials"] = str(credentials)
    if credentials.exists() and not args.force:
        try:
            device = read_credentials(credentials).device_id
            out.problem(f"This terminal is already enrolled (device {device}, {credentials}). "
                        "To enrol it again with a new code, add --force.")
        except CredentialsError:
            out.problem(f"A credentials file already exists ({credentials}) but cannot be used; "
                        "to replace it with a new enrolment, add --force.")
        return out
    now = args.now.astimezone(UTC) if args.now else datetime.now(UTC)
    if not probe(config, now, out):
        return out
    if not credentials.parent.is_dir():
        out.problem(f"The folder {credentials.parent} does not exist: run kiosk-provision install first.")
        return out
    client = ApiClient.from_config(config.api, max_attempts=1, now=lambda: now)
    client.credentials_path = credentials
    kind = args.kind or kind_of_profile(config.terminal.profile)
    facts = {"hostname": socket.gethostname()[:100] or config.terminal.id, "kind": kind,
             "app_version": __version__, "location": config.location.address[:200]}
    try:
        result = client.enroll(code, facts)
    except FinalRefusal as err:
        if err.code == "invalid_enrolment_code":
            reason = str(err.details.get("reason", ""))
            out.problem(CODE_REASONS.get(reason, "The central server refused this enrolment code (unknown, "
                                                 "expired or already used). Ask the back office for a new code."))
        else:
            out.problem(f"The central server refused the enrolment ({err.code or 'no reason given'}): "
                        "check [terminal] in kiosk.toml, or ask the back office.")
        return out
    except TlsFailure:
        out.problem("The central server's certificate is not trusted: check [api] ca_bundle in kiosk.toml.")
        return out
    except Unavailable:
        out.problem("The central server could not be reached during enrolment. The code may have been used: "
                    "if enrolling again says so, ask the back office for a new code.")
        return out
    except ApiError:
        out.problem("The central server's answer to the enrolment was not understood. The code may have been "
                    "used: ask the back office for a new code.")
        return out
    finally:
        client.close()
    _secure(credentials, paths)
    out.data["device_id"] = result.device_id
    out.say(f"enrolled: this terminal is device {result.device_id}; credentials written to {credentials} "
            "(mode 0600)")
    return out
