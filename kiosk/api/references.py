"""Booking references, as the contract defines them (openapi.yaml, « References »).

Why a terminal makes references itself: the network can drop between the terminal and the
central API's answer. The booking is then safe in the outbox and reaches the server later —
but the person has already left, with whatever reference the screen and the ticket showed.
Only a reference chosen *before* sending can be the same on the ticket and on the server, so
the central API reserves a **namespace** for each enrolled terminal (given at enrolment and in
every heartbeat answer) and keeps the reference the terminal sends in its namespace.

Shapes (the alphabet has no O/0 nor I/1, which people misread; letters are upper case):

* a terminal's reference: ``K7M-Q4HP-XRE`` — the namespace (a letter, a digit, a letter),
  six random characters, and one **check character** (Luhn mod 32 over the nine before it)
  that catches any single mistyped character and most swaps of two neighbours;
* the central API's own (its web portal, servers that assign them): ``RDV-QXNG-SR`` for a
  booking, ``DEM-4H8N-T2`` for a request. All letters in the prefix, so a namespace (which
  has a digit) never looks like one of them; they carry no check character.

The reference server imports this module (it may import only ``kiosk.api``), so terminal
and server read a reference the same way.
"""

from __future__ import annotations

import re
import secrets
from random import Random

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"   # 32 symbols: no O, 0, I, 1
LETTERS, DIGITS = ALPHABET[:24], ALPHABET[24:]
_SYMBOL = "[A-HJ-NP-Z2-9]"
_LETTER = "[A-HJ-NP-Z]"
NAMESPACE_PATTERN = rf"^{_LETTER}[2-9]{_LETTER}$"
TERMINAL_REFERENCE_PATTERN = rf"^{_LETTER}[2-9]{_LETTER}-{_SYMBOL}{{4}}-{_SYMBOL}{{3}}$"
SERVER_PREFIXES = ("RDV", "DEM")                 # the central API's own references
_NAMESPACE = re.compile(NAMESPACE_PATTERN)
_TERMINAL = re.compile(TERMINAL_REFERENCE_PATTERN)
# a terminal's shape, whatever the characters: a mistyped one (an O for a D) is still grouped and caught
_COMPACT_TERMINAL = re.compile(r"^([A-Z0-9]{3})([A-Z0-9]{4})([A-Z0-9]{3})$")
_TERMINAL_SHAPE = re.compile(r"^[A-Z0-9]{3}-[A-Z0-9]{4}-[A-Z0-9]{3}$")
_COMPACT_SERVER = re.compile("^(" + "|".join(SERVER_PREFIXES) + r")([A-Z0-9]{4})([A-Z0-9]{2})$")
SEPARATORS = " -\t\u00a0\u202f\u2010\u2011\u2012\u2013\u2014"
RANDOM_LENGTH = 6
NAMESPACE_COUNT = len(LETTERS) * len(DIGITS) * len(LETTERS)   # 4 608 terminals per central API


def is_namespace(value: object) -> bool:
    return isinstance(value, str) and bool(_NAMESPACE.match(value))


def check_character(body: str) -> str:
    """Luhn mod 32 over ``body`` (symbols of :data:`ALPHABET`): every second symbol from the
    right is doubled and its two base-32 digits added. One wrong symbol always changes the
    sum; so does a swap of two neighbours, but for the one pair whose values are 0 and 31."""
    total, factor = 0, 2
    for symbol in reversed(body):
        addend = factor * ALPHABET.index(symbol)
        total += addend // 32 + addend % 32
        factor = 3 - factor
    return ALPHABET[(32 - total % 32) % 32]


def terminal_reference(namespace: str, rng: Random | None = None) -> str:
    """A new reference in ``namespace`` (random: a reference is half the proof for cancelling,
    with the last name, so it must not be guessed from the one before)."""
    if not is_namespace(namespace):
        raise ValueError(f"not a reference namespace: {namespace!r}")
    pick = rng.choice if rng is not None else secrets.choice
    body = namespace + "".join(pick(ALPHABET) for _ in range(RANDOM_LENGTH))
    return f"{body[:3]}-{body[3:7]}-{body[7:]}{check_character(body)}"


def is_terminal_reference(reference: str) -> bool:
    """The shape of a terminal's reference and a right check character."""
    if not _TERMINAL.match(reference):
        return False
    body = reference.replace("-", "")
    return check_character(body[:-1]) == body[-1]


def namespace_of(reference: str) -> str | None:
    """The namespace of a terminal's reference (shape only; see :func:`is_terminal_reference`)."""
    return reference[:3] if _TERMINAL.match(reference) else None


def typing_problem(reference: str) -> str | None:
    """``"check"`` for a reference in a terminal's shape (3-4-3 characters) that is not a right
    one — a wrong check character, a namespace no terminal has, an O, a 0, an I or a 1: a typing
    mistake, said before asking the server — else None. Call it on a normalised text."""
    if _TERMINAL_SHAPE.match(reference) and not is_terminal_reference(reference):
        return "check"
    return None


def normalised(typed: str) -> str:
    """A typed reference as printed: upper case, the dashes people type (or leave out) made the
    printed hyphens (« k7mq4hpxre » is K7M-Q4HP-XRE, « rdvqxngsr » is RDV-QXNG-SR). A shape
    neither side makes keeps the groups it was typed with."""
    upper = typed.strip().upper()
    compact = "".join(ch for ch in upper if ch not in SEPARATORS)
    if m := _COMPACT_TERMINAL.match(compact) or _COMPACT_SERVER.match(compact):
        return "-".join(m.groups())
    groups = [g for g in re.split("[" + re.escape(SEPARATORS) + "]+", upper) if g]
    return "-".join(groups)
