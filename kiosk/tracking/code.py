"""Request tracking numbers: what a person types or scans, made into the central API's code.

The contract fixes the shape (``ABCD-1234``: four letters, a hyphen, four digits, see
``TRACKING_CODE`` in :mod:`kiosk.api.models`). People copy it from a paper receipt, so
lower case, spaces and a missing hyphen are accepted, and a letter O or I typed where a
digit belongs is read as 0 or 1. The receipt's QR code holds either the bare number or
the address of the town portal's tracking page (``https://…/suivi/ABCD-1234``): both are
accepted. Everything else gets a reason the screen can put in plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

LETTERS = 4
DIGITS = 4
LENGTH = LETTERS + DIGITS
EXAMPLE = "ABCD-1234"
CODE_RE = re.compile(r"^[A-Z]{4}-[0-9]{4}$")

# Where a digit is expected, letters that people (and receipts in some fonts) confuse with one.
DIGIT_LOOKALIKES = {"O": "0", "I": "1", "L": "1"}   # L: a lower-case l typed or printed
SEPARATORS = " -_.\t\u00a0\u202f\u2010\u2011\u2012\u2013\u2014"
MAX_INPUT = 512   # anything longer is not a receipt: refuse before looking at it


@dataclass(frozen=True)
class CodeProblem:
    """Why an input is not a tracking number; ``reason`` is one of:
    empty, bad_characters, too_short, too_long, bad_shape, not_a_receipt."""

    reason: str


def kind_at(position: int) -> str:
    """"letter" or "digit": what the code has at ``position`` (0-based, hyphen left out)."""
    return "letter" if position < LETTERS else "digit"


def compact(text: str) -> str:
    """Upper case without separators: what the person meant to type."""
    return "".join(ch for ch in text.upper() if ch not in SEPARATORS)


def grouped(raw: str) -> str:
    """``ABCD1234`` → ``ABCD-1234``; partial input is grouped as it grows (``ABCD1`` → ``ABCD-1``)."""
    raw = compact(raw)
    return raw if len(raw) <= LETTERS else f"{raw[:LETTERS]}-{raw[LETTERS:]}"


def parse_typed(text: str) -> str | CodeProblem:
    """A typed number → the code (``ABCD-1234``) or the problem with it."""
    if len(text) > MAX_INPUT:
        return CodeProblem("too_long")
    raw = compact(text)
    if not raw:
        return CodeProblem("empty")
    if not all(ch.isascii() and ch.isalnum() for ch in raw):
        return CodeProblem("bad_characters")
    if len(raw) < LENGTH:
        return CodeProblem("too_short")
    if len(raw) > LENGTH:
        return CodeProblem("too_long")
    letters = raw[:LETTERS]
    digits = "".join(DIGIT_LOOKALIKES.get(ch, ch) for ch in raw[LETTERS:])
    code = f"{letters}-{digits}"
    return code if CODE_RE.match(code) else CodeProblem("bad_shape")


def parse_scanned(text: str) -> str | CodeProblem:
    """A scanned QR code → the code, from a bare number or a tracking address."""
    text = text.strip()
    if not text:
        return CodeProblem("empty")
    if len(text) > MAX_INPUT or any(ord(ch) < 32 for ch in text):
        return CodeProblem("not_a_receipt")
    if "://" not in text:
        found = parse_typed(text)
        return found if isinstance(found, str) else CodeProblem("not_a_receipt")
    return _from_address(text)


def _from_address(text: str) -> str | CodeProblem:
    try:
        parts = urlsplit(text)
    except ValueError:
        return CodeProblem("not_a_receipt")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return CodeProblem("not_a_receipt")
    # The code is the last path segment (…/suivi/ABCD-1234) or a query value (?code=ABCD-1234).
    candidates = [unquote(seg) for seg in reversed(parts.path.split("/")) if seg][:1]
    candidates += [value for _key, value in parse_qsl(parts.query)]
    for candidate in candidates:
        if CODE_RE.match(candidate.strip().upper()):
            return candidate.strip().upper()
    return CodeProblem("not_a_receipt")


def tracking_address(portal_url: str, code: str) -> str:
    """The portal page of a request, for the printed slip's QR code."""
    return portal_url.rstrip("/") + "/" + code
