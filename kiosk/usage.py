"""Anonymous usage counters: how many times each feature was used, nothing else.

Screens call ``usage.bump("booking.confirmed")``; the sync worker's heartbeat sends the
counts gathered since the last heartbeat the server acknowledged, then subtracts what it
sent (a bump made while the heartbeat was on its way is kept for the next one).

Only totals per feature key leave the terminal: no time of use, no order, no text typed.
Keys are short fixed identifiers (lower case, digits, ``_`` and ``.``), checked here, so
that nobody passes free text — a search, a name — as a "feature" by mistake; and their
number is capped, so a bug cannot grow the table or the heartbeat without bound.
"""

from __future__ import annotations

import re
import threading

FEATURE_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
MAX_KEY_CHARS = 40
MAX_FEATURES = 100


class UsageCounters:
    """Thread-safe: screens bump on the UI thread, the sync worker reads in its own."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def bump(self, feature: str, n: int = 1) -> None:
        if not (isinstance(feature, str) and len(feature) <= MAX_KEY_CHARS and FEATURE_KEY.match(feature)):
            raise ValueError(f"usage feature keys are short identifiers like 'booking.confirmed', "
                             f"not {feature[:20] + '…' if isinstance(feature, str) else feature!r}")
        if n < 1:
            raise ValueError("usage counts only go up")
        with self._lock:
            if feature not in self._counts and len(self._counts) >= MAX_FEATURES:
                feature = "other"
            self._counts[feature] = self._counts.get(feature, 0) + n

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def subtract(self, sent: dict[str, int]) -> None:
        """The server acknowledged ``sent``: count only what came after it."""
        with self._lock:
            for feature, n in sent.items():
                left = self._counts.get(feature, 0) - n
                if left > 0:
                    self._counts[feature] = left
                else:
                    self._counts.pop(feature, None)


COUNTERS = UsageCounters()


def bump(feature: str, n: int = 1) -> None:
    """Count one use of ``feature`` (the process-wide counters the heartbeat sends)."""
    COUNTERS.bump(feature, n)
