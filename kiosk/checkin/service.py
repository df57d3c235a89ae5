"""Arrival at the counter: a scanned QR token (or a typed reference) becomes a check-in.

The token is checked on the terminal first, with the Ed25519 keys and revocation lists the
sync worker keeps in the cache, so that a forged, expired, cancelled or wrong-day code is
refused at once — online or not — and never queued. A token signed by a key the cache does
not know yet (keys rotate) cannot be judged here: it goes to the server, or, offline, is
queued unverified (``details["verified"] is False``) and the server decides later.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from kiosk.api.checkin_token import TokenError as TokenError  # re-exported: screens catch it
from kiosk.api.checkin_token import check_expiry, check_signature, decode_unverified
from kiosk.clock import PARIS
from kiosk.services.outcomes import Action, Kind, Outcome, Status
from offline_cache.catalog import utc_text


class UnknownKey(TokenError):
    """Signed by a key id the cache does not hold (yet)."""


def verify_token(conn: sqlite3.Connection, token: str, at: datetime, *, any_day: bool = False) -> dict[str, Any]:
    """The token's payload if it is genuine, unrevoked, unexpired and for ``at``'s Paris day
    (``any_day``: for any day — a ticket read to cancel its appointment).

    Raises :class:`UnknownKey` when its key is not cached, :class:`TokenError` (with
    ``args[0]`` one of the contract's codes: ``invalid_token``, ``token_revoked``,
    ``outside_checkin_window``) otherwise.
    """
    try:
        payload = decode_unverified(token)
    except TokenError:
        raise TokenError("invalid_token") from None
    kid, jti = str(payload.get("kid")), str(payload.get("jti"))
    if conn.execute("SELECT 1 FROM revocations WHERE (kind = 'key' AND subject = ?) OR (kind = 'token' AND "
                    "subject = ?)", (kid, jti)).fetchone():
        raise TokenError("token_revoked")
    key = conn.execute("SELECT public_key, valid_from, valid_to FROM keys WHERE key_id = ?", (kid,)).fetchone()
    if key is None:
        raise UnknownKey("unknown key")
    try:
        check_signature(token, bytes(key["public_key"]))
        check_expiry(payload, at)
    except TokenError:
        raise TokenError("invalid_token") from None
    stamp = utc_text(at)
    if (key["valid_from"] and stamp < key["valid_from"]) or (key["valid_to"] and stamp >= key["valid_to"]):
        # a key outside its window signed nothing valid now (validity checked at scan time)
        raise TokenError("invalid_token")
    try:
        day = datetime.fromisoformat(str(payload.get("start"))).astimezone(PARIS).date()
    except ValueError:
        raise TokenError("invalid_token") from None
    if day != at.astimezone(PARIS).date() and not any_day:
        raise TokenError("outside_checkin_window")
    return payload


def claimed_reference(token: str) -> str:
    """The reference a token says it is for, before anything about it is verified: for a token
    signed by a key not synced here yet, taken as if typed (the central API then judges it with
    the last name, as any typed reference). Raises :class:`TokenError` for a malformed token."""
    return str(decode_unverified(token.strip()).get("ref", ""))


def checkin(scanned_at: datetime, *, token: str | None = None, reference: str | None = None) -> Action:
    """A check-in by QR token or typed reference (exactly one)."""
    if bool(token and token.strip()) == bool(reference and reference.strip()):
        raise ValueError("CheckinCreate: give exactly one of token or reference")
    payload: dict[str, Any] = {"scanned_at": scanned_at.isoformat()}
    if token:
        payload["token"] = token.strip()
        if len(payload["token"]) > 2000:
            raise ValueError("CheckinCreate: invalid token (too long)")
        return Action(Kind.CHECKIN, payload, None, details={"verified": False},
                      precheck=lambda conn: _precheck(conn, payload, scanned_at))
    assert reference is not None   # exactly one of token and reference, and not the token
    payload["reference"] = reference.strip().upper()
    return Action(Kind.CHECKIN, payload, None, details={"verified": False, "reference": payload["reference"]})


def _precheck(conn: sqlite3.Connection, payload: dict[str, Any], scanned_at: datetime) -> Outcome | dict[str, Any]:
    """Refuse a bad token before it is stored; else what a queued outcome may show of it."""
    try:
        claims = verify_token(conn, payload["token"], scanned_at)
    except UnknownKey:
        return {"verified": False}
    except TokenError as exc:
        return Outcome(Kind.CHECKIN, Status.REFUSED, code=str(exc.args[0]))
    return {"verified": True, "reference": claims.get("ref"), "service_id": claims.get("svc"),
            "start": claims.get("start")}
