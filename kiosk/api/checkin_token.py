"""The check-in token format of Kiosk Sync API v1, read the same way by both ends.

``base64url(payload JSON) "." base64url(Ed25519 signature over the first part's ASCII
bytes)``, base64url without padding; payload ``{"v":1,"kid","jti","ref","svc","slot",
"start","exp"}`` (documented in ``openapi.yaml``). The reference server signs with it,
a terminal verifies offline with it: one reading of the format, so the two cannot drift.

Anyone can print a QR code, so a token is hostile until its signature says otherwise.
Before anything is decoded its size is bounded (:data:`MAX_TOKEN_LENGTH`, the contract's
``maxLength``) and so is the nesting of its JSON (:data:`MAX_JSON_DEPTH`): a payload of a
thousand ``[`` would otherwise exhaust Python's recursion limit inside ``json.loads``.
Every way a token can be wrong ends in :class:`TokenError`, never in another exception.
Base64url is read strictly (canonical, no padding, no stray bits): two different strings
are never the same token.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime, timedelta
from typing import Any

#: The longest token either end reads (the contract's ``maxLength`` of ``token``).
MAX_TOKEN_LENGTH = 2000
#: The payload is one flat object; anything nested deeper than this is not a token.
MAX_JSON_DEPTH = 4
#: How long before it signs anything a key of the town is listed in ``GET /v1/keys`` (the
#: contract's « announced ahead of use »). A terminal whose key list is younger than this holds
#: every key that can sign now: a key id it does not hold is forged or another town's.
KEY_ANNOUNCE_LEAD = timedelta(days=7)

_B64URL = re.compile(r"[A-Za-z0-9_-]*")


class TokenError(ValueError):
    """The token is malformed, signed by an unknown key, badly signed or expired."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    """Strict base64url without padding: raises ``ValueError`` for any other spelling of the bytes
    (wrong alphabet, padding, a length no encoding has, unused low bits set), so that a token has
    exactly one written form and a flipped bit is never read as the original."""
    if len(text) % 4 == 1 or not _B64URL.fullmatch(text):
        raise ValueError("not base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64url(data) != text:
        raise ValueError("not canonical base64url")
    return data


def json_depth_within(text: str, limit: int) -> bool:
    """Whether the arrays and objects of the JSON ``text`` nest at most ``limit`` deep; read
    without parsing (brackets inside strings do not count), in one pass."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def decode_unverified(token: str) -> dict[str, Any]:
    """The payload, not yet trusted (to find its ``kid``). Raises :class:`TokenError` only."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise TokenError("malformed token")
    try:
        body, _sig = token.strip().split(".")
        text = unb64url(body).decode("utf-8")
        if not json_depth_within(text, MAX_JSON_DEPTH):
            raise TokenError("malformed token")
        payload = json.loads(text)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:   # RecursionError: belt and braces
        raise TokenError("malformed token") from exc
    if not isinstance(payload, dict) or type(payload.get("v")) is not int or payload["v"] != 1:
        raise TokenError("unknown token version")
    return payload


def check_signature(token: str, raw_public_key: bytes) -> None:
    """Raises :class:`TokenError` unless ``token`` was signed by this raw 32-byte key."""
    # imported here: the kiosk loads cryptography only once it verifies a ticket (start-up time)
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if len(token) > MAX_TOKEN_LENGTH:
        raise TokenError("bad signature")
    try:
        body, sig = token.strip().split(".")
        Ed25519PublicKey.from_public_bytes(raw_public_key).verify(unb64url(sig), body.encode("ascii"))
    except (InvalidSignature, ValueError, UnicodeEncodeError) as exc:
        raise TokenError("bad signature") from exc


def check_expiry(payload: dict[str, Any], at: datetime) -> None:
    exp = payload.get("exp")
    if type(exp) is not int or exp < at.timestamp():
        raise TokenError("expired token")
