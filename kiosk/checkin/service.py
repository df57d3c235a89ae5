"""Arrival at the counter: a scanned QR token (or a typed reference) becomes a check-in.

The token is checked on the terminal first, with the Ed25519 keys and revocation lists the
sync worker keeps in the cache, so that a forged, expired, cancelled or wrong-day code is
refused at once — online or not — and never queued.

A key id the cache does not hold. The town lists each key in ``GET /v1/keys`` at least
:data:`~kiosk.api.checkin_token.KEY_ANNOUNCE_LEAD` before it signs anything (the contract
says so), so a terminal whose key list was synced within that time holds every key that can
sign now: an unknown key id is forged (a flipped bit in the token) or another town's, and is
refused like a bad signature. Only a terminal whose list is older than that, or was never
synced, cannot judge: the token goes to the server, or, offline, is queued unverified
(``details["verified"] is False``) and the server decides later. So is a token whose
signature a cached key proves but whose key is not valid yet by this terminal's clock (a
key announced ahead, a clock a little behind the town's): only the town can have signed it.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from kiosk.api.checkin_token import (
    KEY_ANNOUNCE_LEAD,
    MAX_TOKEN_LENGTH,
    check_expiry,
    check_signature,
    decode_unverified,
)
from kiosk.api.checkin_token import TokenError as TokenError  # re-exported: screens catch it
from kiosk.clock import PARIS
from kiosk.services.outcomes import Action, Kind, Outcome, Status
from offline_cache.catalog import sync_state, utc_text


class UnknownKey(TokenError):
    """The cache cannot judge the token's key: its key list is older than the announcement lead
    (or was never synced), or the key is announced but not valid yet here. The server decides."""


def key_list_is_current(conn: sqlite3.Connection, at: datetime) -> bool:
    """Whether the cached key list was synced within :data:`KEY_ANNOUNCE_LEAD` of ``at``: then it
    holds every key the town may sign with at ``at`` (keys are announced that long ahead)."""
    state = sync_state(conn, "keys")
    synced = state.get("last_success_at") if state else None
    return bool(synced) and str(synced) >= str(utc_text(at - KEY_ANNOUNCE_LEAD))


def verify_token(conn: sqlite3.Connection, token: str, at: datetime, *, any_day: bool = False) -> dict[str, Any]:
    """The token's payload if it is genuine, unrevoked, unexpired and for ``at``'s Paris day
    (``any_day``: for any day — a ticket read to cancel its appointment).

    Raises :class:`UnknownKey` when the cache cannot judge its key (see the module's docstring),
    :class:`TokenError` (with ``args[0]`` one of the contract's codes: ``invalid_token``,
    ``token_revoked``, ``outside_checkin_window``) otherwise.
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
        if key_list_is_current(conn, at):
            raise TokenError("invalid_token")      # never announced: forged, or another town's
        raise UnknownKey("unknown key")
    try:
        check_signature(token, bytes(key["public_key"]))
        check_expiry(payload, at)
    except TokenError:
        raise TokenError("invalid_token") from None
    stamp = str(utc_text(at))
    if key["valid_to"] and stamp >= key["valid_to"]:
        raise TokenError("invalid_token")          # an expired key signs nothing valid now
    if key["valid_from"] and stamp < key["valid_from"]:
        raise UnknownKey("key not valid yet")      # genuine, announced ahead: the server decides
    try:
        day = datetime.fromisoformat(str(payload.get("start"))).astimezone(PARIS).date()
    except (ValueError, OverflowError):
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
        if len(payload["token"]) > MAX_TOKEN_LENGTH:
            raise ValueError("CheckinCreate: invalid token (too long)")
        return Action(Kind.CHECKIN, payload, None, details={"verified": False},
                      precheck=lambda conn: precheck_token(conn, payload, scanned_at))
    assert reference is not None   # exactly one of token and reference, and not the token
    payload["reference"] = reference.strip().upper()
    return Action(Kind.CHECKIN, payload, None, details={"verified": False, "reference": payload["reference"]})


def precheck_token(conn: sqlite3.Connection, payload: dict[str, Any], scanned_at: datetime) -> Outcome | dict[str, Any]:
    """Refuse a bad token before it is stored; else what a queued outcome may show of it."""
    try:
        claims = verify_token(conn, payload["token"], scanned_at)
    except UnknownKey:
        return {"verified": False}
    except TokenError as exc:
        return Outcome(Kind.CHECKIN, Status.REFUSED, code=str(exc.args[0]))
    return {"verified": True, "reference": claims.get("ref"), "service_id": claims.get("svc"),
            "start": claims.get("start")}
