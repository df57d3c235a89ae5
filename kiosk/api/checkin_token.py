"""The check-in token format of Kiosk Sync API v1, read the same way by both ends.

``base64url(payload JSON) "." base64url(Ed25519 signature over the first part's ASCII
bytes)``, base64url without padding; payload ``{"v":1,"kid","jti","ref","svc","slot",
"start","exp"}`` (documented in ``openapi.yaml``). The reference server signs with it,
a terminal verifies offline with it: one reading of the format, so the two cannot drift.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any


class TokenError(ValueError):
    """The token is malformed, signed by an unknown key, badly signed or expired."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def decode_unverified(token: str) -> dict[str, Any]:
    """The payload, not yet trusted (to find its ``kid``)."""
    try:
        body, _sig = token.strip().split(".")
        payload = json.loads(unb64url(body))
    except (ValueError, UnicodeDecodeError) as exc:
        raise TokenError("malformed token") from exc
    if not isinstance(payload, dict) or payload.get("v") != 1:
        raise TokenError("unknown token version")
    return payload


def check_signature(token: str, raw_public_key: bytes) -> None:
    """Raises :class:`TokenError` unless ``token`` was signed by this raw 32-byte key."""
    # imported here: the kiosk loads cryptography only once it verifies a ticket (start-up time)
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        body, sig = token.strip().split(".")
        Ed25519PublicKey.from_public_bytes(raw_public_key).verify(unb64url(sig), body.encode("ascii"))
    except (InvalidSignature, ValueError, UnicodeEncodeError) as exc:
        raise TokenError("bad signature") from exc


def check_expiry(payload: dict[str, Any], at: datetime) -> None:
    if not isinstance(payload.get("exp"), int) or payload["exp"] < at.timestamp():
        raise TokenError("expired token")
