"""Ed25519 check-in tokens.

Format (documented in ``openapi.yaml``)::

    base64url(payload JSON) "." base64url(signature over the first part's ASCII bytes)

base64url without padding; payload ``{"v":1,"kid","jti","ref","svc","slot","start","exp"}``.
Not JWT on purpose: the QR code must stay small enough to scan on a cheap counter
scanner, and a terminal verifies it offline with nothing but the ``cryptography`` package
and the keys from ``GET /v1/keys``. No personal data goes in: a QR photographed over a
shoulder tells nothing about the citizen.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from kiosk.api.checkin_token import TokenError as TokenError  # re-exported: handlers catch it
from kiosk.api.checkin_token import b64url, check_expiry, check_signature, decode_unverified, unb64url  # re-exported


def public_key_text(key: Ed25519PublicKey) -> str:
    return b64url(key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def add_key(conn: sqlite3.Connection, kid: str, not_before: datetime, days: int,
            revoked_at: datetime | None = None) -> None:
    """Generate and store a signing key (inside a write transaction). Keys are random,
    never seeded: a demo database must not share its private key with every other one."""
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    conn.execute("INSERT INTO signing_keys VALUES (?, ?, ?, ?, ?, ?)",
                 (kid, raw, public_key_text(private.public_key()), not_before.isoformat(),
                  (not_before + timedelta(days=days)).isoformat(),
                  revoked_at.isoformat() if revoked_at else None))


def active_key(conn: sqlite3.Connection, now: datetime) -> tuple[str, Ed25519PrivateKey]:
    """The newest unrevoked key valid now."""
    for row in conn.execute("SELECT * FROM signing_keys WHERE revoked_at IS NULL ORDER BY not_before DESC"):
        if datetime.fromisoformat(row["not_before"]) <= now < datetime.fromisoformat(row["not_after"]):
            return row["kid"], Ed25519PrivateKey.from_private_bytes(row["private_key"])
    raise RuntimeError("no valid signing key")


def sign(kid: str, key: Ed25519PrivateKey, payload: dict[str, Any]) -> str:
    body = b64url(json.dumps({"v": 1, "kid": kid, **payload}, separators=(",", ":")).encode())
    return body + "." + b64url(key.sign(body.encode("ascii")))


def verify(token: str, public_keys: dict[str, str], now: datetime) -> dict[str, Any]:
    """Check a token against ``{kid: base64url raw public key}``; return its payload.
    Terminals do the same offline (:mod:`kiosk.checkin.service`), adding the revocation lists."""
    payload = decode_unverified(token)
    raw = public_keys.get(str(payload.get("kid")))
    if raw is None:
        raise TokenError("unknown or revoked signing key")
    check_signature(token, unb64url(raw))
    check_expiry(payload, now)
    return payload


def usable_public_keys(conn: sqlite3.Connection) -> dict[str, str]:
    return {r["kid"]: r["public_key"]
            for r in conn.execute("SELECT kid, public_key FROM signing_keys WHERE revoked_at IS NULL")}
