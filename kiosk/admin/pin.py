"""The admin PIN: how it is stored in kiosk.toml and how guessing it is slowed down.

A technician opens the admin screen of a public terminal with a 4-8 digit PIN. The
configuration keeps only a salted PBKDF2 hash, so reading kiosk.toml over someone's
shoulder does not reveal the PIN. Be honest about what that buys: with at most 10^8
PINs, anyone who copies the hash can brute-force it offline. The real protection on
the terminal itself is ``PinGuard``: after a few wrong PINs the admin screen locks.

Hash format (also what ``kiosk hash-pin`` prints)::

    pbkdf2_sha256$<iterations>$<salt, standard base64>$<hash, standard base64>

Nothing here ever logs or formats a PIN, and error messages never quote a hash.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import re
from typing import Literal, Protocol

log = logging.getLogger(__name__)

ALGORITHM = "pbkdf2_sha256"
DEFAULT_ITERATIONS = 120_000
# Bounds keep a hand-edited hash from making the admin screen hang (huge counts)
# or from being trivially weak (tiny counts still work, tests use them for speed).
MIN_ITERATIONS = 1_000
MAX_ITERATIONS = 10_000_000
SALT_BYTES = 16
MIN_SALT_BYTES = 8
HASH_BYTES = 32  # SHA-256 output

_PIN_RE = re.compile(r"[0-9]{4,8}")  # ASCII digits only: str.isdigit() accepts "²" and "٣"
_B64_RE = re.compile(r"[A-Za-z0-9+/]+={0,2}")

HASH_FORMAT = f'"{ALGORITHM}$<iterations>$<salt>$<hash>" (as printed by "kiosk hash-pin")'


def _is_valid_pin(pin: object) -> bool:
    return isinstance(pin, str) and _PIN_RE.fullmatch(pin) is not None


def _derive(pin: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, iterations)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = DEFAULT_ITERATIONS) -> str:
    """Hash a PIN for kiosk.toml's ``admin.pin_hash``.

    ``salt`` is random (16 bytes) unless given; a fixed salt exists only so the demo
    configuration and tests are reproducible. Raises ValueError for a PIN that is not
    4 to 8 digits (the message never repeats the PIN).
    """
    if not _is_valid_pin(pin):
        raise ValueError("the PIN must be 4 to 8 digits (0-9)")
    if isinstance(iterations, bool) or not isinstance(iterations, int) or not (
        MIN_ITERATIONS <= iterations <= MAX_ITERATIONS
    ):
        raise ValueError(f"iterations must be a whole number from {MIN_ITERATIONS} to {MAX_ITERATIONS}")
    if salt is None:
        salt = os.urandom(SALT_BYTES)
    if not isinstance(salt, bytes) or len(salt) < MIN_SALT_BYTES:
        raise ValueError(f"the salt must be at least {MIN_SALT_BYTES} bytes")
    return f"{ALGORITHM}${iterations}${_b64(salt)}${_b64(_derive(pin, salt, iterations))}"


def _b64decode(part: str, what: str) -> bytes:
    if not _B64_RE.fullmatch(part) or len(part) % 4:
        raise ValueError(f"its {what} is not valid base64")
    try:
        return base64.b64decode(part, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"its {what} is not valid base64") from None


def parse_pin_hash(s: str) -> tuple[int, bytes, bytes]:
    """Split a stored hash into (iterations, salt, hash), or raise ValueError saying why.

    Used by the configuration loader so a mangled hash is refused at startup, when a
    technician is watching, rather than when someone tries to open the admin screen.
    Messages describe the shape only; they never quote the hash.
    """
    if not isinstance(s, str):
        raise ValueError(f"must be text in quotes: {HASH_FORMAT}")
    if s.strip().isdigit():
        raise ValueError('must be the hash printed by "kiosk hash-pin", not the PIN itself')
    parts = s.split("$")
    if len(parts) != 4:
        raise ValueError(f"must have 4 parts separated by '$': {HASH_FORMAT}")
    algorithm, iterations_text, salt_text, hash_text = parts
    if algorithm != ALGORITHM:
        raise ValueError(f"must start with '{ALGORITHM}$' (the only supported algorithm)")
    if not re.fullmatch(r"[0-9]{1,9}", iterations_text):
        raise ValueError("its iteration count (second part) must be a whole number")
    iterations = int(iterations_text)
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise ValueError(f"its iteration count must be from {MIN_ITERATIONS} to {MAX_ITERATIONS}")
    salt = _b64decode(salt_text, "salt (third part)")
    if len(salt) < MIN_SALT_BYTES:
        raise ValueError(f"its salt must be at least {MIN_SALT_BYTES} bytes")
    digest = _b64decode(hash_text, "hash (fourth part)")
    if len(digest) != HASH_BYTES:
        raise ValueError(f"its hash (fourth part) must be {HASH_BYTES} bytes, the size of a SHA-256 digest")
    return iterations, salt, digest


def verify_pin(pin: str, pin_hash: str) -> bool:
    """True if ``pin`` matches ``pin_hash``; False for a wrong or malformed PIN.

    Raises ValueError only if ``pin_hash`` itself is malformed (a configuration bug).
    Costs one PBKDF2 run (about 0.1 s on a small ARM board at the default count).
    """
    iterations, salt, expected = parse_pin_hash(pin_hash)
    if not _is_valid_pin(pin):
        return False
    return hmac.compare_digest(_derive(pin, salt, iterations), expected)


class _MonotonicClock(Protocol):
    def monotonic(self) -> float: ...


class PinGuard:
    """Checks PINs typed on the admin screen and locks out guessers.

    After ``max_failures`` wrong PINs in a row the guard refuses every attempt, without
    checking it, for ``lockout_s`` seconds counted from the last failure; attempts
    during the lockout do not extend it. When it ends the count starts afresh. A
    correct PIN resets the count. Time comes from the injected clock so tests do not
    wait five minutes.
    """

    def __init__(
        self, clock: _MonotonicClock, pin_hash: str, max_failures: int = 5, lockout_s: float = 300
    ) -> None:
        parse_pin_hash(pin_hash)  # refuse a broken hash now, not at the first attempt
        if max_failures < 1:
            raise ValueError("max_failures must be at least 1")
        if lockout_s < 0:
            raise ValueError("lockout_s must not be negative")
        self._clock = clock
        self._pin_hash = pin_hash
        self._max_failures = max_failures
        self._lockout_s = float(lockout_s)
        self._failures = 0
        self._locked_until: float | None = None

    def __repr__(self) -> str:  # never show the hash
        return f"PinGuard(failures={self._failures}, locked_for_s={self.locked_for_s():.0f})"

    def _expire_lockout(self) -> None:
        if self._locked_until is not None and self._clock.monotonic() >= self._locked_until:
            self._locked_until = None
            self._failures = 0

    def try_pin(self, pin: str) -> Literal["ok", "wrong", "locked"]:
        self._expire_lockout()
        if self._locked_until is not None:
            return "locked"
        if verify_pin(pin, self._pin_hash):
            self._failures = 0
            log.info("admin PIN accepted")
            return "ok"
        self._failures += 1
        if self._failures >= self._max_failures:
            self._locked_until = self._clock.monotonic() + self._lockout_s
            log.warning(
                "admin PIN wrong %d times in a row: admin screen locked for %.0f s",
                self._failures,
                self._lockout_s,
            )
        else:
            log.warning("admin PIN wrong (%d attempts left)", self.failures_left())
        return "wrong"

    def locked_for_s(self) -> float:
        """Seconds until attempts are accepted again; 0.0 when not locked."""
        self._expire_lockout()
        if self._locked_until is None:
            return 0.0
        return max(0.0, self._locked_until - self._clock.monotonic())

    def failures_left(self) -> int:
        """Wrong PINs still allowed before the lockout; 0 while locked."""
        self._expire_lockout()
        if self._locked_until is not None:
            return 0
        return self._max_failures - self._failures
